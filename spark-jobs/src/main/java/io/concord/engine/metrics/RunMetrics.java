package io.concord.engine.metrics;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.concord.engine.RoundSummary;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Dropwizard {@link MetricRegistry} per run on the driver: timers for each phase of a round (broadcast,
 * statsPass, compute, aggregate, update, round), a histogram of examples per round, and the run's
 * {@link ProgressReporter} (periodic progress lines, set-up phases, the console bar). Summaries go into
 * {@code summary.json}.
 */
public final class RunMetrics implements AutoCloseable {

    public static final String[] PHASES = {"broadcast", "statsPass", "compute", "aggregate", "update", "curvature",
        "round"};

    private final MetricRegistry registry = new MetricRegistry();
    private final ProgressReporter progress;

    private RunMetrics(ProgressReporter progress) {
        this.progress = progress;
        for (String phase : PHASES) {
            registry.timer("round." + phase);
        }
        registry.histogram("round.examples");
    }

    public static RunMetrics create(ProgressReporter progress) {
        return new RunMetrics(progress);
    }

    /** Metrics with no console output. */
    public static RunMetrics detached() {
        return new RunMetrics(null);
    }

    /** A set-up phase shown by the progress reporter (start line, duration when closed); a no-op when detached. */
    public Phase phase(String name) {
        return progress == null ? () -> { } : progress.phase(name);
    }

    /** Tells the progress reporter how many rounds make an epoch (for the epoch in its lines). */
    public void roundsPerEpoch(int rounds) {
        if (progress != null) {
            progress.roundsPerEpoch(rounds);
        }
    }

    /** Training is about to run rounds {@code from} … {@code total − 1}. */
    public void trainingStarting(int from, int total) {
        if (progress != null) {
            progress.trainingStarting(from, total);
        }
    }

    /** Training is over (the console bar, if any, is finished before the run's closing messages). */
    public void trainingFinished() {
        if (progress != null) {
            progress.trainingFinished();
        }
    }

    public MetricRegistry registry() {
        return registry;
    }

    public void roundCompleted(RoundSummary summary, int totalRounds) {
        summary.timingsMs().forEach((phase, ms) ->
                registry.timer("round." + phase).update((long) (ms * 1e6), TimeUnit.NANOSECONDS));
        registry.histogram("round.examples").update(summary.examples());
        DriverTrainingMetrics.get().update(summary.round(), summary.loss(),
                summary.timingsMs().getOrDefault("round", Double.NaN));
        if (progress != null) {
            progress.roundCompleted(summary, totalRounds);
        }
    }

    /** Mean and p95 milliseconds per phase, plus counts. */
    public Map<String, Double> summary() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String phase : PHASES) {
            Timer timer = registry.timer("round." + phase);
            Snapshot s = timer.getSnapshot();
            out.put("time." + phase + ".meanMs", s.getMean() / 1e6);
            out.put("time." + phase + ".p95Ms", s.get95thPercentile() / 1e6);
        }
        Histogram examples = registry.histogram("round.examples");
        out.put("examplesPerRound.mean", examples.getSnapshot().getMean());
        return out;
    }

    /** A named stretch of work; closing it reports its duration. */
    @FunctionalInterface
    public interface Phase extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public void close() {
        if (progress != null) {
            progress.close();
        }
    }
}
