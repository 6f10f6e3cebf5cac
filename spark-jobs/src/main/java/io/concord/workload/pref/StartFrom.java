package io.concord.workload.pref;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.Model;
import io.concord.core.model.ModelCapabilities;
import io.concord.core.model.StepContext;

import java.util.List;
import java.util.Objects;

/**
 * A model whose initialisation is a given parameter vector (a previous run's {@code params.bin}, or a soup) instead of
 * its seeded random initialisation; everything else, capabilities included, is the wrapped model's. The vector is transient: initialisation
 * runs on the driver only, so it does not travel in every task closure.
 */
final class StartFrom<R> implements Model<R> {

    private static final long serialVersionUID = 1L;

    private final Model<R> model;
    private final transient float[] initial;

    /** @param initial the starting parameters, or null for the model's own initialisation */
    StartFrom(Model<R> model, float[] initial) {
        this.model = Objects.requireNonNull(model, "model");
        if (initial != null && initial.length != model.numParams()) {
            throw new IllegalArgumentException("initial parameters have length " + initial.length + ", model needs "
                    + model.numParams());
        }
        this.initial = initial == null ? null : initial.clone();
    }

    @Override
    public int numParams() {
        return model.numParams();
    }

    @Override
    public void initParams(float[] params, long seed) {
        if (initial == null) {
            model.initParams(params, seed);
        } else {
            System.arraycopy(initial, 0, params, 0, initial.length);
        }
    }

    @Override
    public BatchLoss accumulateGradient(float[] params, List<R> batch, float[] grad, StepContext ctx) {
        return model.accumulateGradient(params, batch, grad, ctx);
    }

    @Override
    public Reduction reduction() {
        return model.reduction();
    }

    @Override
    public boolean hasRegularizer() {
        return model.hasRegularizer();
    }

    @Override
    public double regularize(float[] params, float[] grad) {
        return model.regularize(params, grad);
    }

    @Override
    public double regularizeSlice(float[] params, float[] grad, int lo, int hi, boolean value) {
        return model.regularizeSlice(params, grad, lo, hi, value);
    }

    @Override
    public float l2Coefficient() {
        return model.l2Coefficient();
    }

    @Override
    public int regularizerChunk() {
        return model.regularizerChunk();
    }

    @Override
    public double regularizerPart(float[] params, int k) {
        return model.regularizerPart(params, k);
    }

    @Override
    public double regularizerValue(double[] parts) {
        return model.regularizerValue(parts);
    }

    @Override
    public ModelCapabilities<R> capabilities() {
        return model.capabilities();
    }
}
