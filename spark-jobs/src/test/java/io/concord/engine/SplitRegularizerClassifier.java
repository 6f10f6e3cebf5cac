package io.concord.engine;

import io.concord.core.loss.SoftmaxCrossEntropy;
import io.concord.core.model.BatchLoss;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.LinearClassifier;
import io.concord.core.model.Model;
import io.concord.core.model.StepContext;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test model: {@link LinearClassifier} with L2 whose regulariser value is split into chunks of {@link #CHUNK}
 * parameters ({@link Model#regularizerChunk}), a length that cuts across the allreduce owners' slices, so the owners'
 * parts must be put together in chunk order to give {@link #regularize}'s value. The gradient is LinearClassifier's,
 * or ({@link #uniform}) a uniform float L2 over every parameter, {@code grad[i] += c·θ[i]} (UltraGCN's form), which
 * the model may declare ({@link Model#l2Coefficient}) so that steps add it in the optimizer's pass.
 */
final class SplitRegularizerClassifier implements Model<LabeledVector> {

    private static final long serialVersionUID = 1L;
    static final int CHUNK = 7;
    /** Separate passes of the uniform L2 gradient in this JVM (local Spark runs the tasks here too). */
    static final AtomicInteger UNIFORM_GRADIENT_PASSES = new AtomicInteger();

    private final LinearClassifier base;
    private final double l2;
    /** The uniform L2's coefficient, NaN for LinearClassifier's gradient. */
    private final float uniform;
    private final boolean declared;

    SplitRegularizerClassifier(int dimension, int numClasses, double l2) {
        this(new LinearClassifier(dimension, numClasses, SoftmaxCrossEntropy.INSTANCE, l2), l2, Float.NaN, false);
    }

    private SplitRegularizerClassifier(LinearClassifier base, double l2, float uniform, boolean declared) {
        this.base = base;
        this.l2 = l2;
        this.uniform = uniform;
        this.declared = declared;
    }

    /** The uniform float L2 {@code c}, declared to the engine or not. */
    static SplitRegularizerClassifier uniform(int dimension, int numClasses, float c, boolean declared) {
        return new SplitRegularizerClassifier(new LinearClassifier(dimension, numClasses,
                SoftmaxCrossEntropy.INSTANCE, 0.0), c, c, declared);
    }

    @Override
    public int numParams() {
        return base.numParams();
    }

    @Override
    public void initParams(float[] params, long seed) {
        base.initParams(params, seed);
    }

    @Override
    public BatchLoss accumulateGradient(float[] params, List<LabeledVector> batch, float[] grad, StepContext ctx) {
        return base.accumulateGradient(params, batch, grad, ctx);
    }

    @Override
    public double regularize(float[] params, float[] grad) {
        return regularizeSlice(params, grad, 0, params.length, true);
    }

    @Override
    public double regularizeSlice(float[] params, float[] grad, int lo, int hi, boolean value) {
        if (Float.isNaN(uniform)) {
            base.regularizeSlice(params, grad, lo, hi, false);
        } else {
            UNIFORM_GRADIENT_PASSES.incrementAndGet();
            for (int p = lo; p < hi; p++) {
                grad[p] += uniform * params[p];
            }
        }
        if (!value) {
            return 0.0;
        }
        return splitRegularizerValue(params);
    }

    @Override
    public float l2Coefficient() {
        return declared ? uniform : Float.NaN;
    }

    @Override
    public int regularizerChunk() {
        return CHUNK;
    }

    @Override
    public double regularizerPart(float[] params, int k) {
        double sum = 0.0;
        for (int p = k * CHUNK; p < Math.min(params.length, (k + 1) * CHUNK); p++) {
            sum += params[p] * (double) params[p];
        }
        return sum;
    }

    @Override
    public double regularizerValue(double[] parts) {
        double sum = 0.0;
        for (double part : parts) {
            sum += part;
        }
        return 0.5 * l2 * sum;
    }
}
