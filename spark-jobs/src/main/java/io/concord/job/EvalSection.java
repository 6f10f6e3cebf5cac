package io.concord.job;

import io.concord.config.ConfigException;

/**
 * The {@code eval:} section: evaluate every n rounds, and optionally stop early when a metric stops improving.
 *
 * @param every    evaluate after every n-th round and after the last one (0 = only at the end)
 * @param metric   metric that decides "best" and early stopping (null = the job's default)
 * @param mode     {@code max} or {@code min}: whether larger is better (null = the job's default for its metric)
 * @param patience stop after this many evaluations without improvement (0 = never stop early)
 */
public record EvalSection(Integer every, String metric, String mode, Integer patience) {

    public EvalSection {
        every = every == null ? 10 : every;
        if (every < 0) {
            throw new ConfigException("eval.every", every, "an integer >= 0");
        }
        if (mode != null && !mode.equals("max") && !mode.equals("min")) {
            throw new ConfigException("eval.mode", mode, "max, min");
        }
        patience = patience == null ? 0 : patience;
        if (patience < 0) {
            throw new ConfigException("eval.patience", patience, "an integer >= 0");
        }
    }

    public static EvalSection defaults() {
        return new EvalSection(null, null, null, null);
    }

    public String metricOr(String defaultMetric) {
        return metric == null ? defaultMetric : metric;
    }

    public String modeOr(String defaultMode) {
        return mode == null ? defaultMode : mode;
    }
}
