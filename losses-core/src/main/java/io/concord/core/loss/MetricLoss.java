package io.concord.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * A few-shot metric loss over embedded points and labelled reference points (prototypes, the support set, or the
 * points themselves): Proto-Triplet and the ICNN score.
 */
public interface MetricLoss extends Objective {

    /** Name as used in configs ({@code loss.name}). */
    String name();

    /**
     * Returns the loss and overwrites {@code gradPoints} and {@code gradReferences} with its gradients. When
     * {@code references} is the same instance as {@code points} the points are scored against each other, the whole
     * gradient goes to {@code gradPoints} and {@code gradReferences} is ignored (it may be null).
     *
     * @param points          {@code [n, d]} embeddings
     * @param pointLabels     n class labels
     * @param references      {@code [m, d]} embeddings
     * @param referenceLabels m class labels
     */
    double valueAndGradient(INDArray points, int[] pointLabels, INDArray references, int[] referenceLabels,
                            INDArray gradPoints, INDArray gradReferences);
}
