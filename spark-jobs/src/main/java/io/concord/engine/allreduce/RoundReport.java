package io.concord.engine.allreduce;

import java.util.LinkedHashMap;
import java.util.Map;

/** One round of a barrier stage as the driver sees it: loss, examples, merged statistics and the time split. */
public final class RoundReport {

    private int round;
    private double loss;
    private long examples;
    private Object[] statistics;
    private LinkedHashMap<String, Double> timingsMs;

    RoundReport() {
    }

    public RoundReport(int round, double loss, long examples, Object[] statistics, Map<String, Double> timingsMs) {
        this.round = round;
        this.loss = loss;
        this.examples = examples;
        this.statistics = statistics;
        this.timingsMs = new LinkedHashMap<>(timingsMs);
    }

    public int round() {
        return round;
    }

    public double loss() {
        return loss;
    }

    public long examples() {
        return examples;
    }

    public Object[] statistics() {
        return statistics;
    }

    public Map<String, Double> timingsMs() {
        return timingsMs;
    }
}
