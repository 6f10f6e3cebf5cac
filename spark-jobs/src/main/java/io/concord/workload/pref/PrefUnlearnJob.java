package io.concord.workload.pref;

import io.concord.core.lm.PromptCompletion;
import io.concord.core.pref.PreferenceModel;
import io.concord.core.pref.UnlearningExample;
import io.concord.core.pref.UnlearningLoss;
import io.concord.core.util.Seeds;
import io.concord.data.io.InputFiles;
import io.concord.data.pref.TofuQa;
import io.concord.data.pref.TextEncoder;
import io.concord.engine.EngineConfig;
import io.concord.job.Components;
import io.concord.job.Evaluator;
import io.concord.job.Job;
import io.concord.job.JobContext;
import io.concord.job.JobResult;
import io.concord.workload.source.TableSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code pref-unlearn}: unlearning a TOFU forget split through the Concord engine with gradient ascent or NPO (each
 * with an optional retain term). A record is one {@link UnlearningExample} — a forget sample zipped with a retain
 * sample, as the NPO reference's dataset pairs them — so sharding never separates the two. Each forget sample is
 * paired with {@code data.pairings} retain samples drawn with the run seed. Every {@code eval.every} rounds: forget-set
 * and retain-set log-likelihood per token and greedy ROUGE-L recall; every {@code entanglement.every} rounds: the
 * entanglement of the retain (as y_w) and forget (as y_l) log-likelihood gradients.
 */
public final class PrefUnlearnJob implements Job<PrefUnlearnConfig> {

    @Override
    public String name() {
        return "pref-unlearn";
    }

    @Override
    public String description() {
        return "TOFU unlearning with gradient ascent or NPO (+ retain CE/KL) from a fine-tuned model";
    }

    @Override
    public Class<PrefUnlearnConfig> configType() {
        return PrefUnlearnConfig.class;
    }

    @Override
    public void validate(PrefUnlearnConfig config) {
        Components.optimizer(config.optimizer());
        PrefLosses.create(config.loss(), PrefLosses.UNLEARNING_LOSSES, " (preference losses: job pref-align)");
    }

    @Override
    public void checkInputs(PrefUnlearnConfig config, Configuration hadoopConf) {
        PrefUnlearnConfig.Data d = config.data();
        for (String split : List.of(d.forget(), d.retain(), d.evalRetain())) {
            if (d.tofuSource(split) == null) {
                InputFiles.list(new Path(d.describe(split)), hadoopConf);
            }
        }
        ModelFiles.checkExists(config.init(), "init", hadoopConf);
        if (config.reference() != null) {
            ModelFiles.checkExists(config.reference(), "reference", hadoopConf);
        }
    }

    @Override
    public JobResult run(PrefUnlearnConfig config, JobContext ctx) {
        JavaSparkContext sc = ctx.jsc();
        PrefUnlearnConfig.Data d = config.data();
        UnlearningLoss objective = (UnlearningLoss) PrefLosses.create(config.loss(), PrefLosses.UNLEARNING_LOSSES,
                "");
        ModelSetup setup = ModelSetup.resolve(config.model(), config.init(), sc.hadoopConfiguration(), null);
        float[] reference = config.reference() == null ? setup.initial()
                : setup.load(config.reference(), "reference", sc.hadoopConfiguration());
        List<float[]> frozen = objective.frozenModels() > 0 ? List.of(reference) : List.of();

        TextEncoder encoder = new TextEncoder(setup.vocabulary(), d.maxPromptTokens(), d.maxCompletionTokens());
        List<PromptCompletion> forget = split(ctx, d, d.forget()).map(encoder::encode).collect();
        List<PromptCompletion> retain = split(ctx, d, d.retain()).map(encoder::encode).collect();
        List<PromptCompletion> evalRetain = split(ctx, d, d.evalRetain()).map(encoder::encode)
                .take(d.evalRetainExamples());
        boolean withRetain = objective.retainTerm() != UnlearningLoss.RetainTerm.NONE;
        int pairings = d.pairings() > 0 ? d.pairings() : autoPairings(config.train(), sc, forget.size());
        List<UnlearningExample> examples = zip(forget, retain, withRetain ? pairings : 1, withRetain,
                config.seed());
        JavaRDD<UnlearningExample> records = sc.parallelize(examples, sc.defaultParallelism());

        int parts = sc.defaultParallelism();
        JavaRDD<PromptCompletion> forgetEval = sc.parallelize(forget, parts).cache();
        JavaRDD<PromptCompletion> retainEval = sc.parallelize(evalRetain, parts).cache();
        LikelihoodEvaluator f = new LikelihoodEvaluator(setup.lm(), setup.vocabulary(), "forget", d.generate(),
                d.maxCompletionTokens());
        LikelihoodEvaluator r = new LikelihoodEvaluator(setup.lm(), setup.vocabulary(), "retain", d.generate(),
                d.maxCompletionTokens());
        Evaluator evaluator = PrefTraining.combine(List.of(
                (params, round) -> f.evaluate(sc, forgetEval, params),
                (params, round) -> r.evaluate(sc, retainEval, params)));

        PreferenceModel<UnlearningExample> model = new PreferenceModel<>(setup.lm(), objective, frozen);
        PrefTraining<UnlearningExample> training = new PrefTraining<>(ctx, model, setup.initial(),
                Components.optimizer(config.optimizer()), config.train(), config.seed(), evaluator, config.eval(),
                "forget.loglik")
                .detail("loss", config.loss().toString())
                .detail("forget", d.forget())
                .detail("retain", d.retain())
                .detail("forgetRecords", forget.size())
                .detail("pairings", withRetain ? pairings : 0)
                .detail("init", setup.initFiles());
        EntanglementListener<UnlearningExample> entanglement = null;
        if (config.entanglement().every() > 0) {
            List<UnlearningExample> sample = zip(forget, evalRetain, 1, true, config.seed() + 1)
                    .subList(0, Math.min(forget.size(), config.entanglement().pairs()));
            entanglement = new EntanglementListener<>(sc, setup.lm(), sample, 1, 0, config.entanglement().every(),
                    config.train().rounds());
            training.with(entanglement);
        }
        JobResult result = training.run(records, d.describe(d.forget()), setup.lm(), setup.vocabulary());
        if (entanglement != null) {
            entanglement.release();
        }
        forgetEval.unpersist(false);
        retainEval.unpersist(false);
        return result;
    }

    /** One TOFU split, from its JSON file or its Spark SQL source, in the source's record order. */
    private static JavaRDD<TofuQa> split(JobContext ctx, PrefUnlearnConfig.Data d, String split) {
        TableSource table = d.tofuSource(split);
        return PrefData.tofu(ctx.spark(), table == null ? List.of() : List.of(table), d.columns(), d.path(),
                List.of(split), d.reading());
    }

    /** Enough pairings per forget sample that the run's (forget, retain) records are rarely repeated. */
    static int autoPairings(EngineConfig train, JavaSparkContext sc, int forgetCount) {
        if (train.batchSize() == 0) {
            return 1;
        }
        int partitions = train.partitions() > 0 ? train.partitions() : sc.defaultParallelism();
        long seen = (long) train.rounds() * train.stepsPerRound() * train.batchSize() * partitions;
        return (int) Math.max(1, Math.min(64, (seen + forgetCount - 1) / forgetCount));
    }

    /** Each forget sample with {@code pairings} retain samples drawn uniformly (seeded), or alone. */
    static List<UnlearningExample> zip(List<PromptCompletion> forget, List<PromptCompletion> retain, int pairings,
                                       boolean withRetain, long seed) {
        List<UnlearningExample> out = new ArrayList<>(forget.size() * pairings);
        for (int e = 0; e < pairings; e++) {
            for (int i = 0; i < forget.size(); i++) {
                SplittableRandom random = Seeds.stream(seed, 0x7E7A1L, e, i);
                out.add(new UnlearningExample(forget.get(i),
                        withRetain ? retain.get(random.nextInt(retain.size())) : null));
            }
        }
        return out;
    }
}
