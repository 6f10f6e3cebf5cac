package io.concord.core.ultragcn;

import io.concord.core.param.Checks;

import java.io.Serializable;

/**
 * Hyperparameters of the UltraGCN objective, named as in the official config files (config keys
 * {@code ultragcn.<official name>} in messages).
 *
 * @param embeddingDim      {@code embedding_dim}
 * @param initialWeight     {@code initial_weight}: std of the normal initialisation of both tables
 * @param w1                {@code w1}: constant part of the positive weight
 * @param w2                {@code w2}: β part of the positive weight (used only if > 0, as the official code does)
 * @param w3                {@code w3}: constant part of the negative weight
 * @param w4                {@code w4}: β part of the negative weight (used only if > 0)
 * @param negativeNum       {@code negative_num}: R, uniform negatives per positive, with replacement
 * @param negativeWeight    {@code negative_weight}: the negative terms are averaged over R, then multiplied by this
 * @param gamma             {@code gamma}: L2 weight on ½‖θ‖² over ALL parameters, once per optimizer step
 * @param lambda            {@code lambda}: weight of the item–item loss L_I
 * @param iiNeighborNum     {@code ii_neighbor_num}: K, neighbours per item in L_I
 * @param samplingSiftPos   {@code sampling_sift_pos}: draw negatives uniformly from the items NOT in the user's train
 *                          set (otherwise from all items)
 */
public record UltraGcnObjective(int embeddingDim, double initialWeight, double w1, double w2, double w3, double w4,
                                int negativeNum, double negativeWeight, double gamma, double lambda,
                                int iiNeighborNum, boolean samplingSiftPos) implements Serializable {

    public UltraGcnObjective {
        Checks.positive("ultragcn.embedding_dim", embeddingDim);
        Checks.positive("ultragcn.initial_weight", initialWeight);
        Checks.nonNegative("ultragcn.w1", w1);
        Checks.nonNegative("ultragcn.w2", w2);
        Checks.nonNegative("ultragcn.w3", w3);
        Checks.nonNegative("ultragcn.w4", w4);
        Checks.positive("ultragcn.negative_num", negativeNum);
        Checks.nonNegative("ultragcn.negative_weight", negativeWeight);
        Checks.nonNegative("ultragcn.gamma", gamma);
        Checks.nonNegative("ultragcn.lambda", lambda);
        Checks.nonNegative("ultragcn.ii_neighbor_num", iiNeighborNum);
    }

    public UltraGcnObjective withNegativeNum(int r) {
        return new UltraGcnObjective(embeddingDim, initialWeight, w1, w2, w3, w4, r, negativeWeight, gamma, lambda,
                iiNeighborNum, samplingSiftPos);
    }

    /**
     * The same objective with another L2 weight. (The engine already adds γθ in Adam's pass over the vector,
     * {@code UltraGcnModel.l2Coefficient}, so {@code withGamma(0)} plus Adam's coupled weight decay γ saves nothing
     * more and drops γ·½‖θ‖² from the reported loss.)
     */
    public UltraGcnObjective withGamma(double newGamma) {
        return new UltraGcnObjective(embeddingDim, initialWeight, w1, w2, w3, w4, negativeNum, negativeWeight,
                newGamma, lambda, iiNeighborNum, samplingSiftPos);
    }

    public UltraGcnObjective withEmbeddingDim(int dim) {
        return new UltraGcnObjective(dim, initialWeight, w1, w2, w3, w4, negativeNum, negativeWeight, gamma, lambda,
                iiNeighborNum, samplingSiftPos);
    }
}
