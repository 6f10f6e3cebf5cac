package io.concord.workload.pref;

import io.concord.core.model.Model;
import io.concord.core.optim.Optimizer;
import io.concord.core.lm.CharVocabulary;
import io.concord.core.lm.GruLanguageModel;
import io.concord.engine.EngineConfig;
import io.concord.engine.RoundListener;
import io.concord.engine.RoundSummary;
import io.concord.engine.Shard;
import io.concord.engine.StatisticSet;
import io.concord.job.EvalSection;
import io.concord.job.EvaluationListener;
import io.concord.job.Evaluator;
import io.concord.job.JobContext;
import io.concord.model.ModelManifest;
import io.concord.model.ModelManifest.ModelFile;
import io.concord.job.JobResult;
import io.concord.job.TrainingRun;
import org.apache.spark.api.java.JavaRDD;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the preference jobs share around the engine: shard the records, save the vocabulary and model shape, evaluate
 * the starting point, train (evaluation and entanglement listeners on the round log), and assemble the job result
 * with the evaluation trajectory, so pipelines read everything from {@code summary.json}.
 */
final class PrefTraining<R> {

    private final JobContext ctx;
    private final Model<R> model;
    private final Optimizer optimizer;
    private final EngineConfig train;
    private final long seed;
    private final Evaluator evaluator;
    private final EvalSection eval;
    private final String defaultMetric;
    private RoundListener extra = RoundListener.NONE;
    private final Map<String, Object> details = new LinkedHashMap<>();

    PrefTraining(JobContext ctx, Model<R> model, float[] initial, Optimizer optimizer, EngineConfig train, long seed,
                 Evaluator evaluator, EvalSection eval, String defaultMetric) {
        this.ctx = ctx;
        this.model = new StartFrom<>(model, initial);
        this.optimizer = optimizer;
        this.train = train;
        this.seed = seed;
        this.evaluator = evaluator;
        this.eval = eval;
        this.defaultMetric = defaultMetric;
    }

    /** A listener run before evaluation after every round (e.g. entanglement). */
    PrefTraining<R> with(RoundListener listener) {
        this.extra = listener;
        return this;
    }

    PrefTraining<R> detail(String key, Object value) {
        details.put(key, value);
        return this;
    }

    JobResult run(JavaRDD<R> records, String source, GruLanguageModel lm, CharVocabulary vocabulary) {
        JavaRDD<Shard<R>> shards = TrainingRun.shard(ctx, records, train, seed, source);
        long examples = shards.map(Shard::size).reduce(Integer::sum);
        ModelFiles.writeModelInfo(ctx.runDir(), vocabulary,
                new LmShape(lm.hidden(), lm.layers(), lm.vocabSize(), lm.numParams()));

        float[] start = new float[model.numParams()];
        model.initParams(start, seed);
        Map<String, Double> startMetrics = evaluator.evaluate(start, -1);
        ctx.console().println("starting point: " + startMetrics);

        EvaluationListener evaluation = new EvaluationListener(evaluator, eval, defaultMetric, train.rounds(),
                ctx.runDir());
        RoundListener listener = RoundListener.sequence(extra, evaluation);
        TrainingRun.Outcome<R> outcome = TrainingRun.train(ctx, model, optimizer, train, seed, StatisticSet.empty(),
                shards, listener);
        shards.unpersist(false);

        Map<String, Double> metrics = new LinkedHashMap<>(evaluation.lastMetrics().isEmpty()
                ? evaluator.evaluate(outcome.state().params(), outcome.state().nextRound() - 1)
                : evaluation.lastMetrics());
        startMetrics.forEach((k, v) -> metrics.put("start." + k, v));
        evaluation.bestMetrics().forEach((k, v) -> metrics.put("best." + k, v));
        metrics.put("bestRound", (double) EvaluationListener.bestRound(outcome.state()));

        Map<String, Object> d = new LinkedHashMap<>();
        d.put("numParams", model.numParams());
        d.put("trainRecords", examples);
        d.put("vocabularySize", vocabulary.size());
        d.put("hidden", lm.hidden());
        d.put("layers", lm.layers());
        d.putAll(details);
        ModelManifest.writeParams(ctx, ModelManifest.LM, model.numParams(), List.of(
                new ModelFile(ModelFiles.VOCABULARY, "text", "the character vocabulary, one token per line"),
                new ModelFile(ModelFiles.SHAPE, "json", "the GRU shape (hidden, layers)")),
                Map.of("vocabularySize", vocabulary.size(), "hidden", lm.hidden(), "layers", lm.layers()));
        d.put("trajectory", trajectory(startMetrics, outcome.log().rounds(), train.stepsPerRound()));
        return new JobResult(outcome.state().nextRound(), outcome.finalLoss(), metrics, d);
    }

    /**
     * Rows {round, step (optimizer steps so far), loss, metrics…} of every round that has metrics, after a row for the
     * starting point (round −1).
     */
    static List<Map<String, Object>> trajectory(Map<String, Double> start, List<RoundSummary> rounds,
                                                int stepsPerRound) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("round", -1);
        first.put("step", 0);
        first.putAll(start);
        rows.add(first);
        for (RoundSummary r : rounds) {
            if (r.metrics().isEmpty()) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("round", r.round());
            row.put("step", (r.round() + 1) * stepsPerRound);
            row.put("loss", r.loss());
            row.putAll(r.metrics());
            rows.add(row);
        }
        return rows;
    }

    /** Merges evaluators' results into one map. */
    static Evaluator combine(List<Evaluator> evaluators) {
        return (params, round) -> {
            Map<String, Double> out = new LinkedHashMap<>();
            evaluators.forEach(e -> out.putAll(e.evaluate(params, round)));
            return out;
        };
    }
}
