package io.concord.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.config.ConfigException;
import io.concord.config.ConfigLoader;
import io.concord.job.JobContext;
import io.concord.job.Provenance;
import io.concord.run.ConfigHash;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code model/model.json}: what a run's model is and how to read it without Concord's code: the job, the model
 * type, the files with their formats, the shapes, the id maps, the run id, the config hash and
 * the versions it was built with. The formats are documented in {@code docs/models.md}.
 *
 * @param manifestVersion format version of this file (1)
 * @param job             the job that trained the model
 * @param modelType       {@value #FACTORS}, {@value #DL4J}, {@value #LINEAR}, {@value #LM} or {@value #PARAMS}
 * @param runId           the run id
 * @param configHash      the run's config hash (SHA-256 hex of the canonical effective config, as in its
 *                        {@code provenance.configHash}), or null
 * @param versions        Concord, Spark, DL4J, Hadoop, Java versions
 * @param shapes          sizes (e.g. {@code users}, {@code items}, {@code dim}, {@code numParams})
 * @param idMaps          role ({@code user}, {@code item}) → id map file under {@code model/}
 * @param files           the model's files under {@code model/}
 * @param details         job-specific facts (e.g. the ALS hyperparameters, the UltraGCN best epoch)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(int manifestVersion, String job, String modelType, String runId, String configHash,
                            Map<String, String> versions, Map<String, Object> shapes, Map<String, String> idMaps,
                            List<ModelFile> files, Map<String, Object> details) {

    public static final String FILE = "model.json";
    public static final String FACTORS = "dot-product-factors";
    public static final String DL4J = "dl4j-network";
    public static final String LINEAR = "linear";
    public static final String LM = "gru-language-model";
    public static final String PARAMS = "concord-params";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ModelManifest {
        versions = versions == null ? Map.of() : new LinkedHashMap<>(versions);
        shapes = shapes == null ? Map.of() : new LinkedHashMap<>(shapes);
        idMaps = idMaps == null ? Map.of() : new LinkedHashMap<>(idMaps);
        files = files == null ? List.of() : List.copyOf(files);
        details = details == null ? Map.of() : new LinkedHashMap<>(details);
    }

    /**
     * One file (or Parquet/MLlib directory) of the model.
     *
     * @param path        relative to {@code model/}
     * @param format      e.g. {@code parquet}, {@code dl4j-model-serializer-zip}, {@code spark-mllib-als},
     *                    {@code concord-float-array}, {@code concord-idmap}, {@code json}, {@code text}
     * @param description what it holds (columns, layout)
     */
    public record ModelFile(String path, String format, String description) {
    }

    /** A manifest for the running job, with the run id, config hash and versions filled in. */
    public static ModelManifest of(JobContext ctx, String modelType, Map<String, Object> shapes,
                                   Map<String, String> idMaps, List<ModelFile> files, Map<String, Object> details) {
        return new ModelManifest(1, ctx.jobName(), modelType, ctx.runDir().runId(), configHash(ctx.runDir()),
                Provenance.versions(), shapes, idMaps, files, details);
    }

    /** Writes the manifest of a model whose portable form is its flat parameter vector plus the given files. */
    public static ModelManifest writeParams(JobContext ctx, String modelType, int numParams, List<ModelFile> files,
                                            Map<String, Object> details) {
        List<ModelFile> all = new ArrayList<>();
        all.add(new ModelFile("params.bin", "concord-float-array", "the " + numParams + " parameters"));
        all.addAll(files);
        ModelManifest m = of(ctx, modelType, Map.of("numParams", numParams), Map.of(), all, details);
        m.write(ctx.runDir());
        return m;
    }

    public void write(RunDirectory dir) {
        try {
            dir.writeString("model/" + FILE, JSON.writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new RunDirectory.OutputException("writing model/" + FILE + " failed: " + e.getMessage(), e);
        }
    }

    /** Reads {@code <run>/model/model.json}; a missing or unreadable manifest is an error naming {@code --model}. */
    public static ModelManifest read(Path run, Configuration conf) {
        Path file = new Path(new Path(run, "model"), FILE);
        try {
            FileSystem fs = file.getFileSystem(conf);
            if (!fs.exists(new Path(run, RunDirectory.SUCCESS))) {
                throw new ConfigException("--model", run.toString(), "a committed run directory (no "
                        + RunDirectory.SUCCESS + ")");
            }
            try (InputStream in = fs.open(file)) {
                return JSON.readValue(in, ModelManifest.class);
            }
        } catch (FileNotFoundException e) {
            throw new ConfigException("--model", run.toString(), "a run with a model manifest (" + file
                    + " not found)");
        } catch (IOException e) {
            throw new ConfigException("--model", "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Fails unless this is a model of one of the given types. */
    public ModelManifest requireType(String... types) {
        for (String t : types) {
            if (t.equals(modelType)) {
                return this;
            }
        }
        throw new ConfigException("--model", modelType, "a model of type " + String.join(" or ", types)
                + " (this run's job " + job + " wrote a " + modelType + ")");
    }

    public int shape(String name) {
        Object v = shapes.get(name);
        if (!(v instanceof Number n)) {
            throw new IllegalStateException("model.json has no shape '" + name + "'");
        }
        return n.intValue();
    }

    /**
     * The run's config hash ({@link ConfigHash}, as recorded under {@code provenance.configHash} of the staged
     * {@code config.effective.yaml}), or null when the run has no effective config.
     */
    static String configHash(RunDirectory dir) {
        Path config = dir.staged("config.effective.yaml");
        try (InputStream in = dir.fs().open(config)) {
            ObjectNode tree = ConfigLoader.parse(in, config.toString());
            JsonNode recorded = tree.path("provenance").path("configHash");
            return recorded.isTextual() ? recorded.asText() : ConfigHash.of(tree);
        } catch (IOException e) {
            return null;
        }
    }
}
