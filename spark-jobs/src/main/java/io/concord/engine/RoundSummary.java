package io.concord.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one round did: loss, examples, merged statistics, the time split of the round, and any metrics listeners
 * added (evaluation results). One row of {@code metrics.csv} / {@code metrics.jsonl}.
 */
public final class RoundSummary {

    private final int round;
    private final double loss;
    private final long examples;
    private final Map<String, Object> statistics;
    private final Map<String, Double> timingsMs;
    private final Map<String, Double> metrics = new LinkedHashMap<>();

    public RoundSummary(int round, double loss, long examples, Map<String, Object> statistics,
                        Map<String, Double> timingsMs) {
        this.round = round;
        this.loss = loss;
        this.examples = examples;
        this.statistics = statistics;
        this.timingsMs = timingsMs;
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

    /** The round's merged statistics by name. */
    public Map<String, Object> statistics() {
        return statistics;
    }

    /** broadcast, statsPass, compute, aggregate, update, round — milliseconds. */
    public Map<String, Double> timingsMs() {
        return timingsMs;
    }

    /** Extra metrics (evaluation results); listeners add to it. */
    public Map<String, Double> metrics() {
        return metrics;
    }
}
