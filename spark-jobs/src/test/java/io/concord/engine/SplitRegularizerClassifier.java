package io.concord.engine;

import io.concord.core.loss.SoftmaxCrossEntropy;
import io.concord.core.model.BatchLoss;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.LinearClassifier;
import io.concord.core.model.Model;
import io.concord.core.model.StepContext;

import java.util.List;

/**
 * A test model: {@link LinearClassifier} with L2 whose regulariser value is split into chunks of {@link #CHUNK}
 * parameters ({@link Model#regularizerChunk}), a length that cuts across the allreduce owners' slices, so the owners'
 * parts must be put together in chunk order to give {@link #regularize}'s value.
 */
final class SplitRegularizerClassifier implements Model<LabeledVector> {

    private static final long serialVersionUID = 1L;
    static final int CHUNK = 7;

    private final LinearClassifier base;
    private final double l2;

    SplitRegularizerClassifier(int dimension, int numClasses, double l2) {
        this.base = new LinearClassifier(dimension, numClasses, SoftmaxCrossEntropy.INSTANCE, l2);
        this.l2 = l2;
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
        base.regularizeSlice(params, grad, lo, hi, false);
        if (!value) {
            return 0.0;
        }
        return splitRegularizerValue(params);
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
