package io.concord.workload.pref;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.config.ConfigLoader;
import io.concord.config.ConfigException;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;

import java.util.List;

/**
 * Where a parameter vector comes from ({@code init:} and {@code reference:} sections): exactly one of
 * <ul>
 *   <li>{@code run}: a committed run directory; its {@code model/params.bin};</li>
 *   <li>{@code params}: a parameter file (e.g. {@code <run>/model/best-params.bin});</li>
 *   <li>{@code soup}: two or more runs or parameter files, averaged in weight space (SALSA's reference): with two,
 *       {@code (1 − alpha)·first + alpha·second}; with more, uniformly (alpha must then be unset).</li>
 * </ul>
 * A soup entry ending in {@code .bin} is a parameter file, anything else a run directory. The vocabulary and model
 * shape are read from {@code vocabulary.txt} and {@code lm.json} next to the (first) parameter file.
 */
public record ParamsSource(String run, String params, List<String> soup, Double alpha) {

    /** The numeric key of {@code init:} and {@code reference:} (docs/preference.md's table is generated from it). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.real("alpha", 0.5, Rule.in(0, 1, true, true),
                    "soup of two: (1 − alpha)·first + alpha·second (must be unset for other sources)"));

    public ParamsSource {
        soup = soup == null ? null : List.copyOf(soup);
    }

    /** Checks that exactly one source is set; {@code key} is the section name ({@code init}, {@code reference}). */
    public ParamsSource validated(String key) {
        int set = (run != null ? 1 : 0) + (params != null ? 1 : 0) + (soup != null ? 1 : 0);
        if (set != 1) {
            throw new ConfigException(key, "set exactly one of " + key + ".run, " + key + ".params, " + key
                    + ".soup (got " + set + ")");
        }
        if (soup != null && soup.size() < 2) {
            throw new ConfigException(key + ".soup", soup, "a list of at least two runs or parameter files");
        }
        if (alpha != null) {
            if (soup == null || soup.size() != 2) {
                throw new ConfigException(key + ".alpha", "only applies to a soup of exactly two members");
            }
            PARAMS.real(key, "alpha", alpha);
        }
        blank(key + ".run", run);
        blank(key + ".params", params);
        if (soup != null) {
            for (int i = 0; i < soup.size(); i++) {
                blank(key + ".soup[" + i + "]", soup.get(i));
            }
        }
        return this;
    }

    /** The weight of the second member of a soup of two ({@code alpha}, default 0.5); {@code key} as in validated. */
    public double alpha(String key) {
        return PARAMS.real(key, "alpha", alpha);
    }

    /** The parameter files this source reads, in order. */
    public List<String> files() {
        if (run != null) {
            return List.of(ModelFiles.paramsOfRun(run));
        }
        if (params != null) {
            return List.of(params);
        }
        return soup.stream().map(s -> s.endsWith(".bin") ? s : ModelFiles.paramsOfRun(s)).toList();
    }

    private static void blank(String key, String value) {
        if (value != null && value.isBlank()) {
            throw new ConfigException(key, value, "a run directory or file path");
        }
    }

    /**
     * The reference of a committed run's effective config: {@code reference} (a run directory), {@code none} (no
     * reference: null), or, when {@code reference} is null, the run's {@code reference}, else its {@code init} (what
     * pref-align trained against), else null.
     */
    public static ParamsSource referenceOf(ObjectNode config, String reference) {
        if ("none".equals(reference)) {
            return null;
        }
        if (reference != null) {
            return new ParamsSource(reference, null, null, null).validated("--reference");
        }
        for (String key : new String[] {"reference", "init"}) {
            if (config.get(key) instanceof ObjectNode o) {
                return ConfigLoader.bind(o, ParamsSource.class).validated(key);
            }
        }
        return null;
    }
}
