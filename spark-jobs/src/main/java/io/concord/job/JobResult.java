package io.concord.job;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job's outcome for {@code summary.json}: rounds run, final training loss, named result metrics
 * (e.g. {@code "recall@20": 0.18}) and any further details.
 */
public record JobResult(int rounds, double finalLoss, Map<String, Double> metrics, Map<String, Object> details) {

    public JobResult {
        metrics = new LinkedHashMap<>(metrics);
        details = new LinkedHashMap<>(details);
    }

    public static JobResult of(int rounds, double finalLoss, Map<String, Double> metrics) {
        return new JobResult(rounds, finalLoss, metrics, Map.of());
    }
}
