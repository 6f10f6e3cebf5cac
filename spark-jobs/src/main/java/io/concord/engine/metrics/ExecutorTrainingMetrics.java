package io.concord.engine.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

import java.util.concurrent.TimeUnit;

/**
 * Executor-side training metrics, one set per JVM: examples processed (a meter, so examples/s), partition compute
 * time (a timer) and partitions computed. Tasks update it; {@link ConcordSparkPlugin}'s executor plugin publishes it
 * on Spark's metrics system as {@code plugin.io.concord.engine.metrics.ConcordSparkPlugin.*}.
 */
public final class ExecutorTrainingMetrics {

    private static final ExecutorTrainingMetrics INSTANCE = new ExecutorTrainingMetrics();

    private final Meter examples = new Meter();
    private final Timer partitionCompute = new Timer();
    private final Counter partitions = new Counter();

    private ExecutorTrainingMetrics() {
    }

    public static ExecutorTrainingMetrics get() {
        return INSTANCE;
    }

    public void partitionComputed(long exampleCount, long nanos) {
        examples.mark(exampleCount);
        partitionCompute.update(nanos, TimeUnit.NANOSECONDS);
        partitions.inc();
    }

    void registerOn(MetricRegistry registry) {
        registry.register("examples", examples);
        registry.register("partitionCompute", partitionCompute);
        registry.register("partitionsComputed", partitions);
    }

    public Meter examples() {
        return examples;
    }

    public Timer partitionCompute() {
        return partitionCompute;
    }
}
