package io.concord.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.config.ConfigException;
import io.concord.config.ConfigLoader;
import io.concord.core.lm.GruLanguageModel;
import io.concord.core.pref.DpoLoss;
import io.concord.core.pref.LogProbBatch;
import io.concord.core.pref.PreferenceModel;
import io.concord.core.pref.PreferencePair;
import io.concord.core.pref.SftLoss;
import io.concord.data.io.InputFiles;
import io.concord.data.pref.PreferencePairReader;
import io.concord.data.pref.TextEncoder;
import io.concord.data.pref.TextPair;
import io.concord.workload.pref.ModelFiles;
import io.concord.workload.pref.ParamsSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores preference pairs with a committed preference LM ({@code params.bin} + {@code vocabulary.txt} +
 * {@code lm.json}): per pair the summed log-probabilities of the chosen and rejected completions under the policy
 * and, with a reference, under the reference, and the implicit reward margin
 * {@code β·((lp_c − ref_c) − (lp_r − ref_r))} (DPO's; the held-out {@code pairs.margin} of pref-align is its mean).
 * The reference defaults to the run's {@code reference}, else its {@code init} (what pref-align trained against),
 * β and the token limits to the run's config. Computed on the executors in chunks of pairs.
 */
final class PairScorer {

    private static final int CHUNK = 32;

    private PairScorer() {
    }

    static StructType schema() {
        return new StructType().add("prompt", DataTypes.StringType).add("chosen", DataTypes.StringType)
                .add("rejected", DataTypes.StringType)
                .add("logp_chosen", DataTypes.DoubleType, false).add("logp_rejected", DataTypes.DoubleType, false)
                .add("tokens_chosen", DataTypes.IntegerType, false)
                .add("tokens_rejected", DataTypes.IntegerType, false)
                .add("ref_logp_chosen", DataTypes.DoubleType).add("ref_logp_rejected", DataTypes.DoubleType)
                .add("margin", DataTypes.DoubleType);
    }

    /**
     * @param reference a run directory, {@code none}, or null for the run's own reference
     * @param beta      null for the run's {@code loss.beta} (else 0.1)
     */
    static Dataset<Row> score(SparkSession spark, Path run, String input, String reference, Double beta) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        ObjectNode config = effectiveConfig(run, conf);
        ModelFiles.Loaded policy = ModelFiles.load(new ParamsSource(run.toString(), null, null, null), "--model",
                conf);
        ParamsSource refSource = ParamsSource.referenceOf(config, reference);
        float[] refParams = null;
        if (refSource != null) {
            ModelFiles.Loaded ref = ModelFiles.load(refSource, "--reference", conf);
            if (!ref.vocabulary().equals(policy.vocabulary()) || ref.params().length != policy.params().length) {
                throw new ConfigException("--reference", ref.files().get(0) + " has another vocabulary or shape "
                        + "than the model");
            }
            refParams = ref.params();
        }
        double b = beta != null ? beta : config.path("loss").path("beta").asDouble(0.1);
        int maxPrompt = config.path("data").path("maxPromptTokens").asInt(64);
        int maxCompletion = config.path("data").path("maxCompletionTokens").asInt(64);
        GruLanguageModel lm = GruLanguageModel.forVocabulary(policy.vocabulary(), policy.shape().hidden(),
                policy.shape().layers());
        boolean hasRef = refParams != null;
        PreferenceModel<PreferencePair> model = hasRef
                ? new PreferenceModel<>(lm, new DpoLoss(b, 0.0), List.of(refParams))
                : new PreferenceModel<>(lm, new SftLoss(SftLoss.Normalization.TOKEN_MEAN), List.of());
        TextEncoder encoder = new TextEncoder(policy.vocabulary(), maxPrompt, maxCompletion);

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> files = InputFiles.list(new Path(input), conf).stream().map(Path::toString).toList();
        SerializableConfiguration shipped = new SerializableConfiguration(conf);
        JavaRDD<TextPair> pairs = sc.parallelize(files, Math.max(1, files.size()))
                .flatMap(f -> PreferencePairReader.read(new Path(f), shipped.value()).iterator());
        Broadcast<float[]> params = sc.broadcast(policy.params());
        JavaRDD<Row> rows = pairs.mapPartitions(it -> {
            List<Row> out = new ArrayList<>();
            List<TextPair> texts = new ArrayList<>(CHUNK);
            while (it.hasNext()) {
                texts.add(it.next());
                if (texts.size() == CHUNK || !it.hasNext()) {
                    List<PreferencePair> encoded = texts.stream().map(encoder::encode).toList();
                    LogProbBatch lp = model.logProbBatch(params.value(), encoded);
                    for (int g = 0; g < lp.groups(); g++) {
                        int w = lp.groupStart(g);
                        int l = w + 1;
                        TextPair t = texts.get(g);
                        Double rw = hasRef ? lp.frozen(0, w) : null;
                        Double rl = hasRef ? lp.frozen(0, l) : null;
                        Double margin = hasRef ? b * ((lp.policy(w) - rw) - (lp.policy(l) - rl)) : null;
                        out.add(RowFactory.create(t.prompt(), t.chosen(), t.rejected(), lp.policy(w), lp.policy(l),
                                lp.tokens(w), lp.tokens(l), rw, rl, margin));
                    }
                    texts.clear();
                }
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, schema());
    }

    static ObjectNode effectiveConfig(Path run, Configuration conf) {
        Path file = new Path(run, "config.effective.yaml");
        try (InputStream in = file.getFileSystem(conf).open(file)) {
            return ConfigLoader.parse(in, file.toString());
        } catch (IOException e) {
            throw new ConfigException("--model", "cannot read " + file + ": " + e.getMessage());
        }
    }
}
