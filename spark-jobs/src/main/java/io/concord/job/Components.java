package io.concord.job;

import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.core.loss.LossRegistry;
import io.concord.core.loss.Objective;
import io.concord.core.model.LogitObjective;
import io.concord.core.optim.MatrixBlock;
import io.concord.core.optim.Optimizer;
import io.concord.core.optim.OptimizerRegistry;

import java.util.List;
import java.util.Map;

/**
 * Builds the losses and optimizers named in a job config ({@code loss:} / {@code optimizer:} sections) through the
 * losses-core registries, turning their validation failures into {@link ConfigException}s that name the key.
 */
public final class Components {

    private Components() {
    }

    public static Optimizer optimizer(ComponentSpec spec) {
        return optimizer(spec, List.of());
    }

    /**
     * @param modelMatrices the model's weight matrices inside its flat parameter vector, for optimizers that work on
     *                      matrices (Fira, FRUGAL) when the config lists none
     */
    public static Optimizer optimizer(ComponentSpec spec, List<MatrixBlock> modelMatrices) {
        if (spec == null || spec.name() == null) {
            throw new ConfigException("optimizer.name", "is required; allowed: "
                    + String.join(", ", OptimizerRegistry.names()));
        }
        try {
            return OptimizerRegistry.create(spec.name(), spec.params(), modelMatrices);
        } catch (IllegalArgumentException e) {
            throw ConfigException.from(e, "optimizer");
        }
    }

    /** Any loss from the catalog, by name (a {@code Loss}, {@code RandomizedLoss}, {@code ExampleStateLoss}, …). */
    public static Objective loss(ComponentSpec spec, String defaultName) {
        String name = spec == null || spec.name() == null ? defaultName : spec.name();
        Map<String, Object> params = spec == null ? Map.of() : spec.params();
        try {
            return LossRegistry.create(name, params);
        } catch (IllegalArgumentException e) {
            throw ConfigException.from(e, "loss");
        }
    }

    /** A classification loss over logits of {@code numClasses} classes. */
    public static LogitObjective logitObjective(ComponentSpec spec, int numClasses) {
        try {
            return LogitObjective.of(loss(spec, "cross-entropy"), numClasses);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw ConfigException.from(e, "loss");
        }
    }

}
