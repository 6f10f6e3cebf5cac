package io.concord.core.pref;

import io.concord.core.loss.Objective;
import io.concord.core.model.BatchLoss;

import java.io.Serializable;

/**
 * A loss over per-sequence log-probabilities ({@link LogProbBatch}): value and gradient with respect to the policy's
 * SUMMED completion log-probabilities. Token-averaged forms are handled inside each loss (∂/∂lp = ∂/∂(lp/|y|) / |y|),
 * so a model only ever back-propagates a weight per sequence.
 *
 * <p>Immutable: holds only validated hyperparameters.
 */
public interface SequenceObjective extends Objective {

    /** Name as used in configs ({@code loss.name}). */
    String name();

    /** How many frozen models' log-probabilities the loss reads: 0 (reference-free), 1 (reference), 2 (INPO). */
    int frozenModels();

    /**
     * Overwrites {@code gradOut[i]} with ∂(lossSum)/∂lp(y_i) and returns the batch's loss sum and example weight (the
     * engine divides by the total weight under {@link io.concord.core.model.Model.Reduction#MEAN}). Groups are
     * validated; a malformed group is an {@link IllegalArgumentException} naming the group.
     */
    BatchLoss valueAndGradient(LogProbBatch batch, double[] gradOut);

    /**
     * Per-sequence coefficients {@code c_i} of a token-level term {@code c_i · (1/T_i) Σ_t KL(p_ref,t ‖ p_θ,t)} over the
     * {@code T_i} predicted positions of sequence {@code i} (prompt and completion), added by the model because it
     * needs whole next-token distributions; {@code null} when the loss has no such term (the default). Depends only on
     * the group layout ({@code groupOffsets} as in {@link LogProbBatch}), so the model can ask before its forward pass.
     */
    default double[] tokenKlCoefficients(int[] groupOffsets) {
        return null;
    }
}
