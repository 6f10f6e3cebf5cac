package io.concord.core.moe;

import io.concord.core.param.Checks;
import io.concord.core.param.ParamException;
import java.io.Serializable;
import java.util.Objects;

/**
 * Shape and loss settings of a {@link MoeModel}. Validation messages name the config key.
 *
 * @param task               {@code moe.task}: classification of feature vectors or next-token prediction
 * @param inputDim           {@code moe.inputDim}: feature dimension (classification; 0 for next-token)
 * @param vocabSize          {@code moe.vocabSize}: token vocabulary (next-token; 0 for classification)
 * @param numClasses         {@code moe.numClasses}: classes (classification; for next-token it equals vocabSize)
 * @param modelDim           {@code moe.modelDim}: width d of the residual stream
 * @param numLayers          {@code moe.layers}: number of MoE layers (1 or 2 in the issue; any ≥ 1 works)
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

    public MoeConfig {
        Objects.requireNonNull(task, "moe.task");
        Objects.requireNonNull(balance, "moe.balance");
        if (task == MoeTask.CLASSIFICATION) {
            Checks.positive("moe.inputDim", inputDim);
            Checks.atLeast("moe.numClasses", numClasses, 2);
        } else {
            Checks.atLeast("moe.vocabSize", vocabSize, 2);
            if (numClasses != vocabSize) {
                throw new ParamException("moe.numClasses", "must equal moe.vocabSize for next-token, got "
                        + numClasses + " and " + vocabSize);
            }
        }
        Checks.positive("moe.modelDim", modelDim);
        Checks.positive("moe.layers", numLayers);
        Checks.positive("moe.experts", numExperts);
        if (topK < 1 || topK > numExperts) {
            throw Checks.notAllowed("moe.topK", topK, "an integer in [1, moe.experts=" + numExperts + "]");
        }
        Checks.positive("moe.expertHidden", expertHidden);
        Checks.nonNegative("moe.sharedExpertHidden", sharedExpertHidden);
        Checks.nonNegative("moe.lbl.coeff", lblCoeff);
        Checks.nonNegative("moe.zloss.coeff", zLossCoeff);
        Checks.nonNegative("moe.domains", numDomains);
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



    /** Fluent construction with defaults; {@link #build()} validates. */
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
        private int sharedExpertHidden = 0;
        private double lblCoeff = 0.008;
        private double zLossCoeff = 0.0;
        private BalanceMode balance = BalanceMode.GLOBAL_TWO_PASS;
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
