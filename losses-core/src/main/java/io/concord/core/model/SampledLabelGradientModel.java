package io.concord.core.model;

import java.util.List;

/**
 * The model side of Sophia's Gauss–Newton–Bartlett estimate: the gradient of the batch loss against labels sampled
 * from the model's own predictive distribution (ŷ ~ softmax(logits)), not the data labels.
 *
 * @param <R> record type
 */
public interface SampledLabelGradientModel<R> {

    /**
     * ADDS the gradient of the summed loss of {@code batch} against labels drawn from the model's distribution into
     * {@code grad} and returns the batch's example weight. All draws come from {@code ctx.random()}. Must not modify
     * {@code params}.
     */
    double accumulateSampledLabelGradient(float[] params, List<R> batch, float[] grad, StepContext ctx);
}
