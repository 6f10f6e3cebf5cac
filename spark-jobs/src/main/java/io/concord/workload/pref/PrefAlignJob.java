package io.concord.workload.pref;

import io.concord.config.ConfigException;
import io.concord.core.pref.PreferenceModel;
import io.concord.core.pref.PreferencePair;
import io.concord.core.pref.RankedResponses;
import io.concord.core.pref.SequenceGroup;
import io.concord.core.pref.SequenceObjective;
import io.concord.data.io.InputFiles;
import io.concord.data.pref.TextEncoder;
import io.concord.data.pref.TextRanked;
import io.concord.job.Components;
import io.concord.job.Evaluator;
import io.concord.job.Job;
import io.concord.job.JobContext;
import io.concord.job.JobResult;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code pref-align}: preference optimisation through the Concord engine. Pair losses (DPO, IPO, SimPO, …) train on
 * {@link PreferencePair} records; AFT trains on {@link RankedResponses} groups; either way a record is one pair or one
 * whole group, so sharding never splits it. Ranked input becomes every (better, worse) pair for pair losses; pair
 * input becomes a group of two for AFT. The reference is frozen inside the model (computed without gradient on each
 * executor). Every {@code eval.every} rounds: implicit-reward accuracy on held-out pairs (and held-out task accuracy
 * when {@code arithmetic} is set); every {@code entanglement.every} rounds: gradient entanglement.
 */
public final class PrefAlignJob implements Job<PrefAlignConfig> {

    static final Set<String> LOSSES = union(PrefLosses.PAIR_LOSSES, PrefLosses.GROUP_LOSSES);

    @Override
    public String name() {
        return "pref-align";
    }

    @Override
    public String description() {
        return "DPO/IPO/SimPO/RPO/INPO on pairs or AFT on ranked groups, from an SFT checkpoint (stage 2)";
    }

    @Override
    public Class<PrefAlignConfig> configType() {
        return PrefAlignConfig.class;
    }

    @Override
    public void validate(PrefAlignConfig config) {
        Components.optimizer(config.optimizer());
        PrefLosses.create(config.loss(), LOSSES, " (SFT: job pref-sft; npo, grad_ascent: job pref-unlearn)");
        if (config.init() == null) {
            throw new ConfigException("init", "is required: the policy's starting point, e.g. init.run: <SFT run>");
        }
    }

    @Override
    public void checkInputs(PrefAlignConfig config, Configuration hadoopConf) {
        if (config.data().tableSource() == null) {
            InputFiles.list(new Path(config.data().path()), hadoopConf);
        }
        ModelFiles.checkExists(config.init(), "init", hadoopConf);
        if (config.reference() != null) {
            ModelFiles.checkExists(config.reference(), "reference", hadoopConf);
        }
    }

    @Override
    public JobResult run(PrefAlignConfig config, JobContext ctx) {
        JavaSparkContext sc = ctx.jsc();
        PrefAlignConfig.Data d = config.data();
        SequenceObjective objective = PrefLosses.create(config.loss(), LOSSES, "");
        ModelSetup setup = ModelSetup.resolve(config.model(), config.init(), sc.hadoopConfiguration(), null);
        float[] reference = config.reference() == null ? setup.initial()
                : setup.load(config.reference(), "reference", sc.hadoopConfiguration());
        List<float[]> frozen = new ArrayList<>();
        if (objective.frozenModels() >= 1) {
            frozen.add(reference);
        }
        if (objective.frozenModels() >= 2) {
            frozen.add(setup.initial());
        }

        TextEncoder encoder = new TextEncoder(setup.vocabulary(), d.maxPromptTokens(), d.maxCompletionTokens());
        double fraction = d.heldOutFraction();
        JavaRDD<TextRanked> groups = d.ranked() == null
                ? PrefData.pairs(ctx.spark(), d.tableSource(), d.columns(), d.pairs(), d.reading())
                        .map(p -> new TextRanked(p.prompt(), List.of(p.chosen(), p.rejected()), new double[] {1.0, 0.0}))
                : PrefData.ranked(sc, d.ranked(), d.reading());
        groups.cache();
        JavaRDD<RankedResponses> train = groups.filter(g -> !HeldOut.isHeldOut(g.prompt(), fraction))
                .map(encoder::encode);
        JavaRDD<PreferencePair> heldOutPairs = groups.filter(g -> HeldOut.isHeldOut(g.prompt(), fraction))
                .map(encoder::encode).flatMap(g -> g.pairs().iterator()).cache();
        List<JavaRDD<?>> cached = new ArrayList<>(List.of(groups, heldOutPairs));

        List<Evaluator> evaluators = new ArrayList<>();
        long heldOutCount = heldOutPairs.count();
        if (heldOutCount > 0) {
            PairEvaluator pairs = new PairEvaluator(setup.lm(), reference, objective.frozenModels() == 0,
                    PrefLosses.rewardBeta(config.loss()));
            evaluators.add((params, round) -> pairs.evaluate(sc, heldOutPairs, params));
        }
        if (config.arithmetic() != null) {
            evaluators.add(PrefSftJob.arithmeticEvaluator(sc, setup, encoder, config.arithmetic(), cached));
        }
        if (evaluators.isEmpty()) {
            throw new ConfigException("data.heldOutFraction", fraction, "a share that holds out at least one pair of "
                    + d.path() + " (or set arithmetic: for a task evaluation)");
        }
        String defaultMetric = config.arithmetic() != null ? "task.accuracy" : "pairs.accuracy";

        JavaRDD<PreferencePair> trainPairs = train.flatMap(g -> g.pairs().iterator());
        JavaRDD<PreferencePair> entanglementPool = heldOutCount > 0 ? heldOutPairs : trainPairs;
        boolean groupLoss = PrefLosses.GROUP_LOSSES.contains(objective.name());
        JobResult result = groupLoss
                ? train(ctx, config, setup, objective, frozen, train, evaluators, defaultMetric, entanglementPool,
                        heldOutCount)
                : train(ctx, config, setup, objective, frozen, trainPairs, evaluators, defaultMetric,
                        entanglementPool, heldOutCount);
        cached.forEach(r -> r.unpersist(false));
        return result;
    }

    private static <R extends SequenceGroup> JobResult train(JobContext ctx, PrefAlignConfig config, ModelSetup setup,
                                                             SequenceObjective objective, List<float[]> frozen,
                                                             JavaRDD<R> records, List<Evaluator> evaluators,
                                                             String defaultMetric,
                                                             JavaRDD<PreferencePair> entanglementPool,
                                                             long heldOutPairs) {
        PreferenceModel<R> model = new PreferenceModel<>(setup.lm(), objective, frozen);
        PrefTraining<R> training = new PrefTraining<>(ctx, model, setup.initial(), Components.optimizer(
                config.optimizer()), config.train(), config.seed(), PrefTraining.combine(evaluators), config.eval(),
                defaultMetric)
                .detail("loss", config.loss().toString())
                .detail("heldOutPairs", heldOutPairs)
                .detail("init", setup.initFiles())
                .detail("reference", config.reference() == null ? setup.initFiles() : config.reference().files());
        EntanglementListener<PreferencePair> entanglement = null;
        if (config.entanglement().every() > 0) {
            List<PreferencePair> sample = entanglementPool.take(config.entanglement().pairs());
            if (!sample.isEmpty()) {
                entanglement = new EntanglementListener<>(ctx.jsc(), setup.lm(), sample, 0, 1,
                        config.entanglement().every(), config.train().rounds());
                training.with(entanglement);
            }
        }
        JobResult result = training.run(records, config.data().path(), setup.lm(), setup.vocabulary());
        if (entanglement != null) {
            entanglement.release();
        }
        return result;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }
}
