package io.concord.workload.moe;

import io.concord.config.ConfigException;
import io.concord.core.moe.MoeConfig;
import io.concord.core.moe.MoeExample;
import io.concord.core.moe.MoeModel;
import io.concord.core.moe.MoeTask;
import io.concord.core.moe.RoutingTally;
import io.concord.core.optim.Optimizer;
import io.concord.engine.RoundListener;
import io.concord.engine.Shard;
import io.concord.engine.StatisticSet;
import io.concord.job.Components;
import io.concord.job.EvaluationListener;
import io.concord.job.Job;
import io.concord.job.JobContext;
import io.concord.model.ModelManifest;
import io.concord.job.JobResult;
import io.concord.job.TrainingRun;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * {@code moe}: a small Mixture-of-Experts network ({@link MoeModel}) on generated multi-domain data or JSONL, with
 * micro-batch or global-batch load balancing (Qiu et al., "Demons in the Detail", arXiv 2501.11873). In global mode
 * the expert-count statistic is merged over every partition of the round by the engine (exactly, through a
 * forward-only statistics pass, or one round stale, or as a per-partition running buffer) before the loss uses it.
 * Reports per-layer LBL, imbalance, top-K score sum, specialisation and the task loss on held-out data, and writes
 * the per-domain expert-frequency table and heatmaps into {@code report/}.
 */
public final class MoeJob implements Job<MoeJobConfig> {

    @Override
    public String name() {
        return "moe";
    }

    @Override
    public String description() {
        return "Mixture-of-Experts with micro- or global-batch load balancing on multi-domain data";
    }

    @Override
    public Class<MoeJobConfig> configType() {
        return MoeJobConfig.class;
    }

    @Override
    public void validate(MoeJobConfig config) {
        Components.optimizer(config.optimizer());
        config.moe().mode();
        if (config.data().generated()) {
            try {
                MoeData.generator(config.data().generate(), config.seed());
            } catch (ConfigException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new ConfigException("data.generate", e.getMessage());
            }
        }
    }

    @Override
    public void checkInputs(MoeJobConfig config, Configuration hadoopConf) {
        if (!config.data().generated() && config.data().tableSources().isEmpty()) {
            MoeData.files(config.data().paths(), hadoopConf, "data.paths");
            if (config.data().testPaths() != null) {
                MoeData.files(config.data().testPaths(), hadoopConf, "data.testPaths");
            }
        }
    }

    @Override
    public JobResult run(MoeJobConfig config, JobContext ctx) {
        MoeData data = MoeData.load(config, ctx.spark(), ctx.jsc());
        MoeModel model = new MoeModel(modelConfig(config, data));
        Optimizer optimizer = Components.optimizer(config.optimizer());
        StatisticSet statistics = new StatisticSet(model.statistics());
        JavaRDD<Shard<MoeExample>> shards = TrainingRun.shard(ctx, data.train(), config.train(), config.seed(),
                data.source());

        MoeEvaluator evaluator = new MoeEvaluator(ctx.jsc(), model, data.test());
        EvaluationListener evaluation = new EvaluationListener(
                (params, round) -> RoutingMetrics.of(evaluator.tally(params), ""),
                config.eval(), "accuracy", config.train().rounds(), ctx.runDir());
        MoeRoundListener routing = new MoeRoundListener(model.config(), statistics);
        RoundListener listener = RoundListener.sequence(routing, evaluation);
        TrainingRun.Outcome<MoeExample> outcome = TrainingRun.train(ctx, model, optimizer, config.train(),
                config.seed(), statistics, shards, listener);

        RoutingTally heldOut = evaluator.tally(outcome.state().params());
        ExpertFrequencyReport.write(ctx.runDir(), heldOut, data.domains());
        Map<String, Double> metrics = new LinkedHashMap<>(RoutingMetrics.of(heldOut, ""));
        evaluation.bestMetrics().forEach((k, v) -> metrics.put("best." + k, v));
        metrics.put("bestRound", (double) EvaluationListener.bestRound(outcome.state()));
        shards.unpersist(false);
        data.release();

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("numParams", model.numParams());
        details.put("task", model.config().task().name().toLowerCase(Locale.ROOT));
        details.put("balance", model.config().balance().name());
        details.put("domains", data.domains());
        details.put("heldOutTokens", heldOut.tokens());
        ModelManifest.writeParams(ctx, ModelManifest.PARAMS, model.numParams(), List.of(),
                Map.of("task", details.get("task"), "balance", details.get("balance"), "inputDim", data.inputDim(),
                        "classes", data.numClasses(), "domains", data.domains(), "layout",
                        "the MoE network's flat parameter vector (io.concord.core.moe); read with MoeNetwork"));
        return new JobResult(outcome.state().nextRound(), outcome.finalLoss(), metrics, details);
    }

    static MoeConfig modelConfig(MoeJobConfig config, MoeData data) {
        MoeJobConfig.ModelSection m = config.model();
        MoeConfig.Builder b = data.task() == MoeTask.CLASSIFICATION
                ? MoeConfig.classification(data.inputDim(), data.numClasses())
                : MoeConfig.nextToken(data.numClasses());
        return b.modelDim(m.modelDim()).layers(m.layers()).experts(m.experts(), m.topK())
                .expertHidden(m.expertHidden()).sharedExpertHidden(m.sharedExpertHidden())
                .lblCoeff(config.moe().lblCoeff()).zLossCoeff(config.moe().zLossCoeff())
                .balance(config.moe().mode()).domains(data.domains().size()).build();
    }
}
