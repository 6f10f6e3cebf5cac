package io.concord.workload.pref;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.config.ConfigLoader;
import io.concord.core.lm.GruLanguageModel;
import io.concord.core.pref.PreferencePair;
import io.concord.data.io.ReadOptions;
import io.concord.data.pref.TextEncoder;
import io.concord.data.pref.TextRanked;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;

/**
 * {@code concord evaluate} of a committed {@code pref-align} run on a pairs file or directory (the JSONL/CSV pair
 * formats, HH-RLHF transcripts included): the run's own {@link PairEvaluator} — its reference (the run's
 * {@code reference}, else its {@code init}), its loss's implicit reward and β — over the pairs, encoded with the run's
 * vocabulary and token limits exactly as the job encodes them. With {@code heldOutOnly}, only the pairs the run held
 * out ({@code data.heldOutFraction}, by a hash of the prompt), which reproduces the run's {@code pairs.*} metrics.
 */
public final class PrefModelEvaluation {

    private PrefModelEvaluation() {
    }

    public static Map<String, Double> evaluate(SparkSession spark, Path run, ObjectNode config, String data,
                                               boolean heldOutOnly) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        if (!(config.get("loss") instanceof ObjectNode lossNode)) {
            throw new ConfigException("--model", run + " has no loss section (evaluate takes pref-align runs)");
        }
        ComponentSpec loss = ConfigLoader.bind(lossNode, ComponentSpec.class);
        boolean referenceFree = PrefLosses.create(loss, PrefAlignJob.LOSSES, "").frozenModels() == 0;
        ModelFiles.Loaded policy = ModelFiles.load(new ParamsSource(run.toString(), null, null, null), "--model",
                conf);
        ParamsSource refSource = ParamsSource.referenceOf(config, null);
        float[] reference = refSource == null ? null : ModelFiles.load(refSource, "reference", conf).params();
        GruLanguageModel lm = GruLanguageModel.forVocabulary(policy.vocabulary(), policy.shape().hidden(),
                policy.shape().layers());
        PairEvaluator evaluator = new PairEvaluator(lm, reference, referenceFree, PrefLosses.rewardBeta(loss));
        TextEncoder encoder = new TextEncoder(policy.vocabulary(),
                config.path("data").path("maxPromptTokens").asInt(64),
                config.path("data").path("maxCompletionTokens").asInt(64));
        double fraction = heldOutOnly ? config.path("data").path("heldOutFraction").asDouble() : 0;
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<PreferencePair> pairs = PrefData.pairs(spark, null, null, data, ReadOptions.defaults())
                .map(p -> new TextRanked(p.prompt(), List.of(p.chosen(), p.rejected()), new double[] {1.0, 0.0}))
                .filter(g -> !heldOutOnly || HeldOut.isHeldOut(g.prompt(), fraction))
                .map(encoder::encode).flatMap(g -> g.pairs().iterator());
        return evaluator.evaluate(sc, pairs, policy.params());
    }
}
