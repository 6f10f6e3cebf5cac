package io.concord.bench;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.Model;
import io.concord.core.model.StepContext;

import java.util.List;

/**
 * A model with an arbitrary number of parameters and O(n) work per batch: loss ½‖θ‖² per example. Isolates the
 * engine's own costs (broadcast, shipping, aggregation, driver update) from model compute.
 */
final class QuadraticBenchModel implements Model<Long> {

    private static final long serialVersionUID = 1L;

    private final int numParams;

    QuadraticBenchModel(int numParams) {
        this.numParams = numParams;
    }

    @Override
    public int numParams() {
        return numParams;
    }

    @Override
    public void initParams(float[] params, long seed) {
        for (int i = 0; i < params.length; i++) {
            params[i] = 1.0f + (i & 7) * 0.125f;
        }
    }

    @Override
    public BatchLoss accumulateGradient(float[] params, List<Long> batch, float[] grad, StepContext ctx) {
        float b = batch.size();
        double loss = 0;
        for (int i = 0; i < numParams; i++) {
            float p = params[i];
            grad[i] += b * p;
            loss += p * (double) p;
        }
        return new BatchLoss(0.5 * loss * b, b);
    }
}
