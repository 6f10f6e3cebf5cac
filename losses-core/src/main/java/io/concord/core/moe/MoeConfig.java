package io.concord.core.moe;

import io.concord.core.param.Checks;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamException;
import io.concord.core.param.ParamTable;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Shape and loss settings of a {@link MoeModel}. Validation messages name the config key; the ranges are the
 * declarations {@link #MODEL_PARAMS}, {@link #MOE_PARAMS} and {@link #DATA_PARAMS}.
 *
 * @param task               {@code moe.task}: classification of feature vectors or next-token prediction
 * @param inputDim           {@code moe.inputDim}: feature dimension (classification; 0 for next-token)
 * @param vocabSize          {@code moe.vocabSize}: token vocabulary (next-token; 0 for classification)
 * @param numClasses         {@code moe.numClasses}: classes (classification; for next-token it equals vocabSize)
 * @param modelDim           {@code moe.modelDim}: width d of the residual stream
 * @param numLayers          {@code moe.layers}: number of MoE layers (1 or 2 in the issue)
 * @param numExperts         {@code moe.experts}: routed experts N_E per layer
 * @param topK               {@code moe.topK}: experts selected per token, 1 ≤ K ≤ N_E
 * @param expertHidden       {@code moe.expertHidden}: hidden width of each routed expert's MLP
 * @param sharedExpertHidden {@code moe.sharedExpertHidden}: hidden width of the always-on shared expert, 0 = none
 * @param lblCoeff           {@code moe.lbl.coeff}: load-balancing loss weight (paper: 0.008), ≥ 0
 * @param zLossCoeff         {@code moe.zloss.coeff}: router z-loss weight (Megatron suggests 1e-3), ≥ 0
 * @param balance            {@code moe.balance} / {@code moe.balance.freshness}
 * @param numDomains         {@code moe.domains}: number of analysis domains tallied per expert (0 = none)
 */
public record MoeConfig(MoeTask task, int inputDim, int vocabSize, int numClasses, int modelDim, int numLayers,
                        int numExperts, int topK, int expertHidden, int sharedExpertHidden, double lblCoeff,
                        double zLossCoeff, BalanceMode balance, int numDomains) implements Serializable {

    /**
     * The {@code model:} keys of the moe job (the network shape), declared once: {@code MoeJobConfig.ModelSection}
     * reads the job config through them (docs/moe.md's table is tested against them) and this record checks its
     * fields against them.
     */
    public static final ParamTable MODEL_PARAMS = ParamTable.of(
            Param.integer("modelDim", 32, Rule.between(1, 4096), "residual width d"),
            Param.integer("layers", 2, Rule.between(1, 16), "MoE layers"),
            Param.integer("experts", 16, Rule.between(1, 1024), "routed experts N_E per layer"),
            Param.integer("topK", 2, Rule.between(1, 1024), "experts selected per token, 1 <= K <= N_E"),
            Param.integer("expertHidden", 32, Rule.between(1, 16384), "hidden width of each expert MLP"),
            Param.integer("sharedExpertHidden", 0, Rule.between(0, 16384),
                    "hidden width of an always-on shared expert (0 = none)"));

    /** The {@code moe:} keys of the moe job (load balancing), declared once as {@link #MODEL_PARAMS}. */
    public static final ParamTable MOE_PARAMS = ParamTable.of(
            Param.choice("balance", "global", List.of("micro", "global"), "micro or global"),
            Param.choice("freshness", "two-pass", List.of("two-pass", "one-pass", "stale-by-one-round",
                    "running-buffer"), "global balancing only; unset for micro"),
            Param.real("lblCoeff", 0.008, Rule.NON_NEGATIVE, "load-balancing loss weight α"),
            Param.real("zLossCoeff", 0.0, Rule.NON_NEGATIVE, "router z-loss weight β (0 = off)"));

    /** The sizes that come from the data (not config keys): their checks. */
    public static final ParamTable DATA_PARAMS = ParamTable.of(
            Param.optionalInteger("inputDim", "from the data", Rule.atLeast(1),
                    "feature dimension (classification)"),
            Param.optionalInteger("vocabSize", "from the data", Rule.atLeast(2), "token vocabulary (next-token)"),
            Param.optionalInteger("numClasses", "from the data", Rule.atLeast(2),
                    "classes (classification; the vocabulary for next-token)"),
            Param.optionalInteger("domains", "from the data", Rule.atLeast(0),
                    "analysis domains tallied per expert (0 = none)"));

    /** Key prefix of this record's messages. */
    private static final String SECTION = "moe";

    public MoeConfig {
        Objects.requireNonNull(task, "moe.task");
        Objects.requireNonNull(balance, "moe.balance");
        if (task == MoeTask.CLASSIFICATION) {
            DATA_PARAMS.integer(SECTION, "inputDim", inputDim);
            DATA_PARAMS.integer(SECTION, "numClasses", numClasses);
        } else {
            DATA_PARAMS.integer(SECTION, "vocabSize", vocabSize);
            if (numClasses != vocabSize) {
                throw new ParamException("moe.numClasses", "must equal moe.vocabSize for next-token, got "
                        + numClasses + " and " + vocabSize);
            }
        }
        MODEL_PARAMS.integer(SECTION, "modelDim", modelDim);
        MODEL_PARAMS.integer(SECTION, "layers", numLayers);
        MODEL_PARAMS.integer(SECTION, "experts", numExperts);
        if (topK < 1 || topK > numExperts) {
            throw Checks.notAllowed("moe.topK", topK, "an integer in [1, moe.experts=" + numExperts + "]");
        }
        MODEL_PARAMS.integer(SECTION, "expertHidden", expertHidden);
        MODEL_PARAMS.integer(SECTION, "sharedExpertHidden", sharedExpertHidden);
        // Reported under this record's historical keys (moe.lbl.coeff, moe.zloss.coeff).
        MOE_PARAMS.realAt("moe.lbl.coeff", "lblCoeff", lblCoeff);
        MOE_PARAMS.realAt("moe.zloss.coeff", "zLossCoeff", zLossCoeff);
        DATA_PARAMS.integer(SECTION, "domains", numDomains);
    }

    /** A classification config with small defaults (d=16, 1 layer, 8 experts, top-2, hidden 16, LBL 0.008). */
    public static Builder classification(int inputDim, int numClasses) {
        return new Builder(MoeTask.CLASSIFICATION, inputDim, 0, numClasses);
    }

    /** A next-token config with the same defaults. */
    public static Builder nextToken(int vocabSize) {
        return new Builder(MoeTask.NEXT_TOKEN, 0, vocabSize, vocabSize);
    }

    public boolean hasSharedExpert() {
        return sharedExpertHidden > 0;
    }

    /** Size of the head's output: the classes, or the vocabulary for next-token. */
    public int outputSize() {
        return numClasses;
    }



    /**
     * Fluent construction; {@link #build()} validates. The loss and balancing settings default to the declarations;
     * the shape defaults to a small network (d=16, 1 layer, 8 experts, top-2, hidden 16) for tests and benchmarks,
     * not the job's defaults ({@link #MODEL_PARAMS}), which the job always sets.
     */
    public static final class Builder {
        private final MoeTask task;
        private final int inputDim;
        private final int vocabSize;
        private final int numClasses;
        private int modelDim = 16;
        private int numLayers = 1;
        private int numExperts = 8;
        private int topK = 2;
        private int expertHidden = 16;
        private int sharedExpertHidden = MODEL_PARAMS.integer(SECTION, "sharedExpertHidden", null);
        private double lblCoeff = MOE_PARAMS.real(SECTION, "lblCoeff", null);
        private double zLossCoeff = MOE_PARAMS.real(SECTION, "zLossCoeff", null);
        private BalanceMode balance = BalanceMode.parse(MOE_PARAMS.choice(SECTION, "balance", null),
                MOE_PARAMS.choice(SECTION, "freshness", null));
        private int numDomains = 0;

        private Builder(MoeTask task, int inputDim, int vocabSize, int numClasses) {
            this.task = task;
            this.inputDim = inputDim;
            this.vocabSize = vocabSize;
            this.numClasses = numClasses;
        }

        public Builder modelDim(int v) {
            modelDim = v;
            return this;
        }

        public Builder layers(int v) {
            numLayers = v;
            return this;
        }

        public Builder experts(int numExperts, int topK) {
            this.numExperts = numExperts;
            this.topK = topK;
            return this;
        }

        public Builder expertHidden(int v) {
            expertHidden = v;
            return this;
        }

        public Builder sharedExpertHidden(int v) {
            sharedExpertHidden = v;
            return this;
        }

        public Builder lblCoeff(double v) {
            lblCoeff = v;
            return this;
        }

        public Builder zLossCoeff(double v) {
            zLossCoeff = v;
            return this;
        }

        public Builder balance(BalanceMode v) {
            balance = v;
            return this;
        }

        public Builder domains(int v) {
            numDomains = v;
            return this;
        }

        public MoeConfig build() {
            return new MoeConfig(task, inputDim, vocabSize, numClasses, modelDim, numLayers, numExperts, topK,
                    expertHidden, sharedExpertHidden, lblCoeff, zLossCoeff, balance, numDomains);
        }
    }
}
