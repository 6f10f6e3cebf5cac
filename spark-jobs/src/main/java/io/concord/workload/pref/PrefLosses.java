package io.concord.workload.pref;

import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.core.loss.LossRegistry;
import io.concord.core.pref.SequenceObjective;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The {@code loss:} section of the preference jobs, built through {@link LossRegistry} (the preference objectives of core.pref.PreferenceLosses) (keys and defaults are
 * listed there); its validation errors become {@link ConfigException}s naming the key, and each job admits only the
 * losses that fit its records.
 */
final class PrefLosses {

    /** Losses over [chosen, rejected] pairs. */
    static final Set<String> PAIR_LOSSES = Set.of("dpo", "sigmoid", "robust", "ipo", "hinge", "sigmoid_norm", "rpo",
            "simpo", "inpo");
    /** Losses over ranked groups of any size. */
    static final Set<String> GROUP_LOSSES = Set.of("aft");
    static final Set<String> UNLEARNING_LOSSES = Set.of("npo", "grad_ascent");

    private PrefLosses() {
    }

    /** Builds the loss; a key set to null ({@code --set loss.beta=null}) is treated as absent (its default). */
    static SequenceObjective create(ComponentSpec spec, Set<String> allowed, String jobHint) {
        if (spec == null || spec.name() == null) {
            throw new ConfigException("loss.name", "is required; one of " + new TreeSet<>(allowed));
        }
        String name = spec.name().toLowerCase(Locale.ROOT);
        if (!allowed.contains(name)) {
            throw new ConfigException("loss.name", spec.name(), String.join(", ", new TreeSet<>(allowed))
                    + jobHint);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        spec.params().forEach((k, v) -> {
            if (v != null) {
                params.put(k, v);
            }
        });
        try {
            return LossRegistry.create(name, params, SequenceObjective.class);
        } catch (IllegalArgumentException e) {
            throw ConfigException.from(e, "loss");
        }
    }

    /** The β that scales the loss's implicit reward (margins only; accuracy does not depend on it). */
    static double rewardBeta(ComponentSpec spec) {
        Object beta = spec.params().get("beta");
        if (beta instanceof Number n) {
            return n.doubleValue();
        }
        String name = spec.name().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "simpo" -> 2.0;
            case "rpo" -> "openrlhf".equals(String.valueOf(spec.params().get("variant"))) ? 0.5 : 0.01;
            case "inpo" -> spec.params().get("tau") instanceof Number n ? n.doubleValue() : 0.1;
            case "aft" -> 1.0;
            default -> 0.1;
        };
    }

}
