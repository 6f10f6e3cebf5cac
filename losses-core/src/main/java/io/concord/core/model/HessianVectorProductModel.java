package io.concord.core.model;

import java.util.List;

/**
 * The model side of a Hutchinson curvature estimate: Hessian-vector products of the summed batch loss.
 *
 * @param <R> record type
 */
public interface HessianVectorProductModel<R> {

    /**
     * ADDS {@code H·v} into {@code hv}, H the Hessian of the summed loss of {@code batch} with respect to the
     * parameters, and returns the batch's example weight. Must not modify {@code params} or {@code v}.
     */
    double accumulateHessianVectorProduct(float[] params, List<R> batch, float[] v, float[] hv, StepContext ctx);
}
