package io.concord.job;

import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.core.loss.Loss;
import io.concord.core.loss.SoftmaxCrossEntropy;
import io.concord.core.optim.Adam;
import io.concord.core.optim.Optimizer;
import io.concord.core.optim.Sgd;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds losses and optimizers named in a job config ({@code loss:} / {@code optimizer:} sections), turning
 * validation failures into {@link ConfigException}s that name the key.
 */
public final class Components {

    private Components() {
    }

    public static Optimizer optimizer(ComponentSpec spec) {
        if (spec == null || spec.name() == null) {
            throw new ConfigException("optimizer.name", "is required; allowed: sgd, adam, adamw");
        }
        Params p = new Params("optimizer", spec.params());
        Optimizer optimizer;
        try {
            optimizer = switch (spec.name()) {
                case "sgd" -> new Sgd(p.num("lr", 0.01), p.num("momentum", 0.0), p.num("weightDecay", 0.0),
                        p.bool("nesterov", false));
                case "adam" -> new Adam(p.num("lr", 1e-3), p.num("beta1", 0.9), p.num("beta2", 0.999),
                        p.num("eps", 1e-8), p.num("weightDecay", 0.0), false);
                case "adamw" -> new Adam(p.num("lr", 1e-3), p.num("beta1", 0.9), p.num("beta2", 0.999),
                        p.num("eps", 1e-8), p.num("weightDecay", 0.01), true);
                default -> throw new ConfigException("optimizer.name", spec.name(), "sgd, adam, adamw");
            };
        } catch (IllegalArgumentException e) {
            throw asConfig(e);
        }
        p.rejectUnused();
        return optimizer;
    }

    public static Loss classificationLoss(ComponentSpec spec) {
        String name = spec == null || spec.name() == null ? "cross-entropy" : spec.name();
        Params p = new Params("loss", spec == null ? Map.of() : spec.params());
        Loss loss = switch (name) {
            case "cross-entropy" -> SoftmaxCrossEntropy.INSTANCE;
            default -> throw new ConfigException("loss.name", name, "cross-entropy");
        };
        p.rejectUnused();
        return loss;
    }

    static ConfigException asConfig(IllegalArgumentException e) {
        if (e instanceof ConfigException ce) {
            return ce;
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int colon = message.indexOf(':');
        return colon > 0 ? new ConfigException(message.substring(0, colon), message.substring(colon + 2))
                : new ConfigException("<component>", message);
    }

    /** Typed access to a component's parameters that remembers which were read, so leftovers are errors. */
    static final class Params {
        private final String section;
        private final Map<String, Object> values;
        private final Set<String> used = new HashSet<>();

        Params(String section, Map<String, Object> values) {
            this.section = section;
            this.values = new LinkedHashMap<>(values);
        }

        double num(String key, double defaultValue) {
            used.add(key);
            Object v = values.get(key);
            if (v == null) {
                return defaultValue;
            }
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            throw new ConfigException(section + "." + key, v, "a number");
        }

        boolean bool(String key, boolean defaultValue) {
            used.add(key);
            Object v = values.get(key);
            if (v == null) {
                return defaultValue;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            throw new ConfigException(section + "." + key, v, "true or false");
        }

        void rejectUnused() {
            for (String key : values.keySet()) {
                if (!used.contains(key)) {
                    throw new ConfigException(section + "." + key, "unknown config key; allowed keys in '"
                            + section + "': name, " + String.join(", ", used));
                }
            }
        }
    }
}
