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
 * A test model: {@link LinearClassifier} with a uniform float L2 over every parameter, {@code grad[i] += c·θ[i]}
 * (UltraGCN's form), whose value is split into chunks of 7 parameters. With {@code declared} it tells the engine
 * its coefficient ({@link Model#l2Coefficient}), so steps add the L2 gradient in the optimizer's pass; without, the
 * engine regularises first. Both must train bit-identically.
 */
final class UniformL2Classifier implements Model<LabeledVector> {

    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 7;
    /** Separate L2 gradient passes in this JVM (local Spark runs the tasks here too). */
    static final AtomicInteger GRADIENT_PASSES = new AtomicInteger();

    private final LinearClassifier base;
    private final float l2;
    private final boolean declared;

    UniformL2Classifier(int dimension, int numClasses, float l2, boolean declared) {
        this.base = new LinearClassifier(dimension, numClasses, SoftmaxCrossEntropy.INSTANCE, 0.0);
        this.l2 = l2;
        this.declared = declared;
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
    public boolean hasRegularizer() {
        return true;
    }

    @Override
    public double regularize(float[] params, float[] grad) {
        return regularizeSlice(params, grad, 0, params.length, true);
    }

    @Override
    public double regularizeSlice(float[] params, float[] grad, int lo, int hi, boolean value) {
        GRADIENT_PASSES.incrementAndGet();
        for (int p = lo; p < hi; p++) {
            grad[p] += l2 * params[p];
        }
        return value ? splitRegularizerValue(params) : 0.0;
    }

    @Override
    public float l2Coefficient() {
        return declared ? l2 : Float.NaN;
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
