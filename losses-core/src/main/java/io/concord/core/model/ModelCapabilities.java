package io.concord.core.model;

import java.io.Serializable;

/**
 * What a model can do beyond its forward/backward pass, as the model declares it ({@link Model#capabilities()}):
 * the forward-only statistics pass a {@code TWO_PASS} statistic needs, the curvature inputs of Sophia, and whether one
 * instance may serve several task threads at once. A decorator returns the wrapped model's capabilities, so wrapping a
 * model never loses one.
 *
 * @param statistics            the statistics pass, or null
 * @param sampledLabelGradients Sophia's Gauss–Newton–Bartlett input, or null
 * @param hessianVectorProducts Sophia's Hutchinson input, or null
 * @param threadSafe            whether task threads may share one instance; when false the engine gives every task
 *                              thread its own copy
 */
public record ModelCapabilities<R>(StatisticsProducer<R> statistics,
                                   SampledLabelGradientModel<R> sampledLabelGradients,
                                   HessianVectorProductModel<R> hessianVectorProducts,
                                   boolean threadSafe) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * The capabilities {@code model} implements itself ({@link StatisticsProducer}, {@link SampledLabelGradientModel},
     * {@link HessianVectorProductModel}); thread-safe.
     */
    @SuppressWarnings("unchecked")
    public static <R> ModelCapabilities<R> implementedBy(Model<R> model) {
        return new ModelCapabilities<>(
                model instanceof StatisticsProducer<?> s ? (StatisticsProducer<R>) s : null,
                model instanceof SampledLabelGradientModel<?> g ? (SampledLabelGradientModel<R>) g : null,
                model instanceof HessianVectorProductModel<?> h ? (HessianVectorProductModel<R>) h : null,
                true);
    }

    /**
     * These capabilities with the curvature inputs of a companion object (e.g. {@code LinearSoftmaxCurvature} for a
     * linear classifier): those it implements replace the model's own.
     */
    @SuppressWarnings("unchecked")
    public ModelCapabilities<R> withCurvature(Object companion) {
        return new ModelCapabilities<>(statistics,
                companion instanceof SampledLabelGradientModel<?> g ? (SampledLabelGradientModel<R>) g
                        : sampledLabelGradients,
                companion instanceof HessianVectorProductModel<?> h ? (HessianVectorProductModel<R>) h
                        : hessianVectorProducts,
                threadSafe);
    }

    /** These capabilities for a model whose instances task threads must not share. */
    public ModelCapabilities<R> notThreadSafe() {
        return new ModelCapabilities<>(statistics, sampledLabelGradients, hessianVectorProducts, false);
    }
}
