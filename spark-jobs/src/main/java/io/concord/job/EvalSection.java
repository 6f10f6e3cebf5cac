package io.concord.job;

import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;

import java.util.List;

/**
 * The {@code eval:} section: evaluate every n rounds, and optionally stop early when a metric stops improving.
 *
 * @param every    evaluate after every n-th round and after the last one (0 = only at the end)
 * @param metric   metric that decides "best" and early stopping (null = the job's default)
 * @param mode     {@code max} or {@code min}: whether larger is better (null = the job's default for its metric)
 * @param patience stop after this many evaluations without improvement (0 = never stop early)
 */
public record EvalSection(Integer every, String metric, String mode, Integer patience) {

    /** The {@code eval:} keys with a declared type ({@code metric} is a metric name of the job). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.integer("every", 10, Rule.atLeast(0),
                    "evaluate after every n-th round and after the last one (0 = only at the end)"),
            new Param("mode", Param.Type.CHOICE, null, "the job's", "one of max, min", null, List.of("max", "min"),
                    "whether larger values of eval.metric are better"),
            Param.integer("patience", 0, Rule.atLeast(0),
                    "stop after this many evaluations without improvement (0 = never stop early)"));

    private static final String SECTION = "eval";

    public EvalSection {
        every = PARAMS.integer(SECTION, "every", every);
        mode = mode == null ? null : PARAMS.choice(SECTION, "mode", mode);
        patience = PARAMS.integer(SECTION, "patience", patience);
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
