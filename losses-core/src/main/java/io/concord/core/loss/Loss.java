package io.concord.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * A loss over a batch of model outputs, in the Flink ML {@code LossFunc} style: a stateless singleton (or an immutable
 * object holding only hyperparameters) that computes the summed value and writes the gradient in place.
 *
 * <p>Shapes: {@code outputs} is {@code [batch, k]}; {@code targets} is documented per loss (one-hot or soft label rows
 * {@code [batch, k]} for classification losses); {@code gradOut} has the shape of {@code outputs} and is overwritten
 * with ∂(Σᵢ lossᵢ)/∂outputs. Works in the data type of {@code outputs} (float or double).
 */
public interface Loss extends Objective {

    /** Name as used in configs ({@code loss.name}). */
    String name();

    /** Returns Σᵢ lossᵢ over the batch and overwrites {@code gradOut} with its gradient with respect to outputs. */
    double valueAndGradient(INDArray outputs, INDArray targets, INDArray gradOut);
}
