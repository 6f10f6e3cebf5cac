package io.concord.workload.pref;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.config.ConfigException;
import io.concord.core.lm.CharVocabulary;
import io.concord.core.pref.ModelSoup;
import io.concord.data.DataException;
import io.concord.data.pref.VocabularyFiles;
import io.concord.engine.checkpoint.FloatArrays;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;

/**
 * The saved model of a preference run: {@code model/params.bin} (written by the engine), {@code model/vocabulary.txt}
 * and {@code model/lm.json} (its shape). Reads them back as the starting point or reference of a later run.
 */
public final class ModelFiles {

    public static final String PARAMS = "params.bin";
    public static final String VOCABULARY = "vocabulary.txt";
    public static final String SHAPE = "lm.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFiles() {
    }

    static String paramsOfRun(String run) {
        return new Path(new Path(run, "model"), PARAMS).toString();
    }

    /** A loaded parameter source: the (souped) vector, and the vocabulary and shape saved next to it. */
    public record Loaded(float[] params, CharVocabulary vocabulary, LmShape shape, List<String> files) {
    }

    /** Fails early (before Spark starts) when a file of {@code source} is missing. */
    public static void checkExists(ParamsSource source, String key, Configuration conf) {
        for (String file : source.files()) {
            Path p = new Path(file);
            try {
                if (!p.getFileSystem(conf).exists(p)) {
                    throw new ConfigException(key, file, "an existing parameter file (not found; is the run "
                            + "committed?)");
                }
            } catch (IOException e) {
                throw new ConfigException(key, "cannot check " + file + ": " + e.getMessage());
            }
        }
    }

    public static Loaded load(ParamsSource source, String key, Configuration conf) {
        List<String> files = source.files();
        List<float[]> members = new ArrayList<>();
        for (String f : files) {
            members.add(readParams(new Path(f), conf));
        }
        Path first = new Path(files.get(0));
        CharVocabulary vocabulary = VocabularyFiles.load(new Path(first.getParent(), VOCABULARY), conf);
        LmShape shape = readShape(new Path(first.getParent(), SHAPE), conf);
        for (int i = 1; i < files.size(); i++) {
            Path other = new Path(files.get(i));
            CharVocabulary v = VocabularyFiles.load(new Path(other.getParent(), VOCABULARY), conf);
            if (!v.equals(vocabulary)) {
                throw new ConfigException(key + ".soup", "members " + files.get(0) + " and " + files.get(i)
                        + " have different vocabularies; a soup needs runs over the same vocabulary (set "
                        + "data.vocabulary of the second SFT run to the first run's model/vocabulary.txt)");
            }
            if (members.get(i).length != members.get(0).length) {
                throw new ConfigException(key + ".soup", "members " + files.get(0) + " and " + files.get(i)
                        + " have different parameter counts (" + members.get(0).length + " vs "
                        + members.get(i).length + "); soups need models of the same shape");
            }
        }
        float[] params;
        if (members.size() == 1) {
            params = members.get(0);
        } else if (members.size() == 2) {
            params = ModelSoup.average(members.get(0), members.get(1), source.alpha(key));
        } else {
            params = ModelSoup.uniform(members.toArray(new float[0][]));
        }
        if (shape != null && shape.numParams() != params.length) {
            throw new DataException(files.get(0), "holds " + params.length + " parameters but " + SHAPE
                    + " next to it says " + shape.numParams());
        }
        return new Loaded(params, vocabulary, shape, files);
    }

    public static float[] readParams(Path file, Configuration conf) {
        try (InputStream in = file.getFileSystem(conf).open(file)) {
            return FloatArrays.read(in, file.toString());
        } catch (FileNotFoundException e) {
            throw new DataException(file.toString(), "parameter file not found");
        } catch (IOException e) {
            throw new DataException(file.toString(), "cannot read parameters: " + e.getMessage(), e);
        }
    }

    /** The saved shape, or null when the file is absent (a bare parameter file). */
    static LmShape readShape(Path file, Configuration conf) {
        try {
            FileSystem fs = file.getFileSystem(conf);
            if (!fs.exists(file)) {
                return null;
            }
            try (InputStream in = fs.open(file)) {
                return JSON.readValue(in, LmShape.class);
            }
        } catch (IOException e) {
            throw new DataException(file.toString(), "not a model shape file: " + e.getMessage(), e);
        }
    }

    /** Writes the vocabulary and shape into the run's {@code model/} (the engine writes params.bin itself). */
    public static void writeModelInfo(RunDirectory dir, CharVocabulary vocabulary, LmShape shape) {
        try (Writer w = new OutputStreamWriter(dir.create("model/" + VOCABULARY), StandardCharsets.UTF_8)) {
            vocabulary.write(w);
        } catch (IOException | UncheckedIOException e) {
            throw new RunDirectory.OutputException("writing model/" + VOCABULARY + " failed: " + e.getMessage(), e);
        }
        try {
            dir.writeString("model/" + SHAPE, JSON.writeValueAsString(shape) + "\n");
        } catch (IOException e) {
            throw new RunDirectory.OutputException("writing model/" + SHAPE + " failed: " + e.getMessage(), e);
        }
    }
}
