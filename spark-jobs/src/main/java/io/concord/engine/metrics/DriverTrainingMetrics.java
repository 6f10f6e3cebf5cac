package io.concord.engine.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;

/**
 * The driver's live training state for Spark's metrics system (round, loss, rounds per second of the current run),
 * published by {@link ConcordSparkPlugin}'s driver plugin. One per JVM, updated by the active {@link RunMetrics}.
 */
public final class DriverTrainingMetrics {

    private static final DriverTrainingMetrics INSTANCE = new DriverTrainingMetrics();

    private volatile double round = Double.NaN;
    private volatile double loss = Double.NaN;
    private volatile double lastRoundMs = Double.NaN;

    private DriverTrainingMetrics() {
    }

    public static DriverTrainingMetrics get() {
        return INSTANCE;
    }

    void update(int currentRound, double currentLoss, double roundMs) {
        round = currentRound;
        loss = currentLoss;
        lastRoundMs = roundMs;
    }

    void registerOn(MetricRegistry registry) {
        registry.register("round", (Gauge<Double>) () -> round);
        registry.register("loss", (Gauge<Double>) () -> loss);
        registry.register("lastRoundMs", (Gauge<Double>) () -> lastRoundMs);
    }
}
