package io.concord.job;

import io.concord.engine.RoundListener;
import io.concord.engine.RoundSummary;
import io.concord.engine.TrainingState;
import io.concord.engine.checkpoint.FloatArrays;
import io.concord.run.RunDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.concord.config.ConfigException;

/**
 * Evaluates every {@code eval.every} rounds and after the last, tracks the best value of the chosen metric (best
 * parameters are written to {@code model/best-params.bin} when they improve), and stops early after
 * {@code eval.patience} evaluations without improvement. Its bookkeeping lives in the training state, so a resumed
 * run continues the same early-stopping decision.
 */
public final class EvaluationListener implements RoundListener {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluationListener.class);
    private static final String BEST = "eval.best";
    private static final String BEST_ROUND = "eval.bestRound";
    private static final String SINCE_BEST = "eval.evaluationsSinceBest";

    private final Evaluator evaluator;
    private final EvalSection section;
    private final String metric;
    private final boolean higherIsBetter;
    private final int totalRounds;
    private final RunDirectory runDir;
    private Map<String, Double> lastMetrics = Map.of();
    private Map<String, Double> bestMetrics = Map.of();
    private boolean quiet;

    public EvaluationListener(Evaluator evaluator, EvalSection section, String defaultMetric, int totalRounds,
                              RunDirectory runDir) {
        this(evaluator, section, defaultMetric, "max", totalRounds, runDir);
    }

    /** @param defaultMode {@code max} or {@code min} for the job's metric when {@code eval.mode} is not set */
    public EvaluationListener(Evaluator evaluator, EvalSection section, String defaultMetric, String defaultMode,
                              int totalRounds, RunDirectory runDir) {
        this.evaluator = evaluator;
        this.section = section;
        this.metric = section.metricOr(defaultMetric);
        this.higherIsBetter = section.modeOr(defaultMode).equals("max");
        this.totalRounds = totalRounds;
        this.runDir = runDir;
        if (runDir != null) {
            runDir.setObjective(metric, higherIsBetter ? "maximize" : "minimize");
        }
    }

    @Override
    public boolean needsStateAfter(int completedRounds) {
        return due(completedRounds);
    }

    private boolean due(int completed) {
        return completed == totalRounds || (section.every() > 0 && completed % section.every() == 0);
    }

    @Override
    public Decision afterRound(TrainingState state, RoundSummary summary) {
        int completed = summary.round() + 1;
        boolean due = due(completed);
        if (!due) {
            return Decision.CONTINUE;
        }
        Map<String, Double> result = evaluator.evaluate(state.params(), summary.round());
        summary.metrics().putAll(result);
        lastMetrics = result;
        Double value = result.get(metric);
        if (value == null) {
            throw new ConfigException("eval.metric", metric, "one of " + result.keySet());
        }
        Map<String, Double> book = state.bookkeeping();
        Double best = book.get(BEST);
        boolean better = best == null || (higherIsBetter ? value > best : value < best);
        if (better) {
            book.put(BEST, value);
            book.put(BEST_ROUND, (double) summary.round());
            book.put(SINCE_BEST, 0.0);
            bestMetrics = result;
            saveBest(state.params());
        } else {
            book.merge(SINCE_BEST, 1.0, Double::sum);
        }
        String line = "round " + summary.round() + ": " + result + " (best " + metric + "=" + book.get(BEST)
                + " at round " + book.get(BEST_ROUND).intValue() + ")";
        if (quiet) {
            LOG.debug(line);
        } else {
            LOG.info(line);
        }
        if (section.patience() > 0 && book.getOrDefault(SINCE_BEST, 0.0) >= section.patience()) {
            LOG.info("early stop: {} has not improved for {} evaluations", metric, section.patience());
            return Decision.STOP;
        }
        return Decision.CONTINUE;
    }

    /** Restores the last and best evaluation results from the history of a resumed run. */
    @Override
    public void resumed(TrainingState state, List<RoundSummary> history) {
        int bestRound = bestRound(state);
        for (RoundSummary r : history) {
            if (r.metrics().containsKey(metric)) {
                lastMetrics = new LinkedHashMap<>(r.metrics());
                if (r.round() == bestRound) {
                    bestMetrics = lastMetrics;
                }
            }
        }
    }

    /** Log each evaluation at debug only: for a wrapper that reports evaluations itself (each logged once). */
    public EvaluationListener quiet() {
        this.quiet = true;
        return this;
    }

    public String metric() {
        return metric;
    }

    public Map<String, Double> lastMetrics() {
        return lastMetrics;
    }

    public Map<String, Double> bestMetrics() {
        return bestMetrics;
    }

    /** Best round so far (or -1). */
    public static int bestRound(TrainingState state) {
        return state.bookkeeping().getOrDefault(BEST_ROUND, -1.0).intValue();
    }

    private void saveBest(float[] params) {
        if (runDir == null) {
            return;
        }
        try (OutputStream out = runDir.create("model/best-params.bin")) {
            FloatArrays.write(out, params);
        } catch (IOException e) {
            throw new RunDirectory.OutputException("writing best parameters failed: " + e.getMessage(), e);
        }
    }
}
