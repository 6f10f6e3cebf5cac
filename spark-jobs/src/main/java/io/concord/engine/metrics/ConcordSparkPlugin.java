package io.concord.engine.metrics;

import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

import java.util.Map;

/**
 * Spark plugin ({@code spark.plugins=io.concord.engine.metrics.ConcordSparkPlugin}) that registers Concord's
 * metrics on Spark's metrics system in the init callbacks, as Spark requires: executor-side examples/s and partition
 * compute time, driver-side round, loss and round time. Sinks (CSV, Prometheus servlet, …) come from
 * {@code metrics.properties}.
 */
public final class ConcordSparkPlugin implements SparkPlugin {

    @Override
    public DriverPlugin driverPlugin() {
        return new DriverPlugin() {
            @Override
            public Map<String, String> init(SparkContext sc, PluginContext ctx) {
                DriverTrainingMetrics.get().registerOn(ctx.metricRegistry());
                return Map.of();
            }
        };
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                ExecutorTrainingMetrics.get().registerOn(ctx.metricRegistry());
            }
        };
    }
}
