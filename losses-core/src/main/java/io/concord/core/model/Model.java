package io.concord.core.model;

import java.io.Serializable;
import java.util.List;

/**
 * A trainable model over records of type {@code R} whose parameters are one flat float vector.
 *
 * <p>The engine owns the parameter and gradient vectors; a model only reads {@code params} and adds into
 * {@code grad}. That keeps models stateless and lets the engine average, checkpoint and ship parameters without
 * knowing the model. Implementations must be {@link Serializable}: the engine ships them to executors once per run,
 * inside its per-run bundle.
 *
 * @param <R> the record type of one training example
 */
public interface Model<R> extends Serializable {

    /** Length of the flat parameter vector. */
    int numParams();

    /** Writes a deterministic initialisation for {@code seed} into {@code params} (length {@link #numParams()}). */
    void initParams(float[] params, long seed);

    /**
     * Forward and backward pass over {@code batch}: ADDS the gradient of the summed per-example loss into
     * {@code grad} and returns the summed loss and the batch's example weight. Must not modify {@code params}.
     */
    BatchLoss accumulateGradient(float[] params, List<R> batch, float[] grad, StepContext ctx);

    /**
     * How the engine turns summed gradients into the gradient the optimizer sees: divided by the total example weight
     * ({@link Reduction#MEAN}, the default) or used as is ({@link Reduction#SUM}, for objectives defined as a sum over
     * the batch, as UltraGCN's official code does).
     */
    default Reduction reduction() {
        return Reduction.MEAN;
    }

    /**
     * Adds the gradient of a per-step regulariser (one that is not a sum over examples) into {@code grad}, which is
     * already reduced, and returns the regulariser's value. Called once per optimizer step, on whichever side makes
     * the step (the driver in global-batch mode, each partition in parameter-averaging mode).
     */
    default double regularize(float[] params, float[] grad) {
        return 0.0;
    }

    /**
     * Whether {@link #regularize} does anything. Default: whether the class overrides it; a decorator returns its
     * wrapped model's answer.
     */
    default boolean hasRegularizer() {
        return RegularizerOverrides.overridden(getClass());
    }

    /**
     * {@link #regularize}'s gradient for {@code grad[lo, hi)} only, for an owner that steps one slice of the
     * parameters (the allreduce transport): must add there exactly what {@code regularize} adds, and write nothing
     * outside the range (the other owners read their slices of this gradient meanwhile). The gradient in the range
     * may depend only on {@code params[lo, hi)}. With {@code value} it also returns the regulariser's value over all
     * of {@code params}, bit-identical to what {@code regularize} returns (else any number). Default:
     * {@code regularize} on a copy of {@code grad} whose range is copied back (override it: that is a vector-sized copy
     * per call); nothing without a regulariser.
     */
    default double regularizeSlice(float[] params, float[] grad, int lo, int hi, boolean value) {
        if (!hasRegularizer()) {
            return 0.0;
        }
        if (lo == 0 && hi == grad.length) {
            return regularize(params, grad);
        }
        float[] whole = grad.clone();
        double v = regularize(params, whole);
        System.arraycopy(whole, lo, grad, lo, hi - lo);
        return v;
    }

    /**
     * When {@link #regularize}'s gradient is exactly {@code grad[i] += c * params[i]} (float multiply, then float
     * add) for every parameter: c, so that the optimizer may add it in its own pass over the vector
     * ({@link io.concord.core.optim.Optimizer#stepSliceWithL2}) instead of a separate pass writing it into the
     * gradient first; the result is bit-identical. {@code NaN} (the default) for any other regulariser, or none.
     */
    default float l2Coefficient() {
        return Float.NaN;
    }

    /**
     * For a regulariser whose value is a sum over fixed chunks of the parameters: the chunk length; 0 (the default)
     * when the value is not split. Then {@link #regularize}'s value is {@link #regularizerValue} of every chunk's
     * {@link #regularizerPart} in chunk order, bit for bit, so the owners of slices (the allreduce transport) each
     * compute the parts of the chunks that start in their slice instead of one owner reading all the parameters.
     */
    default int regularizerChunk() {
        return 0;
    }

    /** Chunk {@code k}'s part of the regulariser's value: elements {@code [k·chunk, min((k+1)·chunk, n))}. */
    default double regularizerPart(float[] params, int k) {
        throw new IllegalStateException(getClass().getSimpleName()
                + " does not split its regulariser (regularizerChunk() is 0)");
    }

    /** The regulariser's value from every chunk's part, in chunk order. */
    default double regularizerValue(double[] parts) {
        throw new IllegalStateException(getClass().getSimpleName()
                + " does not split its regulariser (regularizerChunk() is 0)");
    }

    /**
     * The parts of the chunks that start in {@code [lo, hi)}, in chunk order: an owner's share of a split
     * regulariser's value. The owners of consecutive slices together cover every chunk once.
     */
    default double[] regularizerParts(float[] params, int lo, int hi) {
        int chunk = regularizerChunk();
        int first = (int) ((lo + (long) chunk - 1) / chunk);
        int end = (int) ((hi + (long) chunk - 1) / chunk);
        double[] parts = new double[Math.max(0, end - first)];
        for (int k = first; k < end; k++) {
            parts[k - first] = regularizerPart(params, k);
        }
        return parts;
    }

    /** A split regulariser's value over all of {@code params}: every chunk's part, folded in chunk order. */
    default double splitRegularizerValue(float[] params) {
        return regularizerValue(regularizerParts(params, 0, params.length));
    }

    /**
     * What this model can do beyond this interface, declared rather than discovered by the caller: by default the
     * capability interfaces the class implements, shared by task threads. A decorator returns its wrapped model's
     * capabilities; a model with unsynchronised mutable state returns them {@link ModelCapabilities#notThreadSafe()}.
     */
    default ModelCapabilities<R> capabilities() {
        return ModelCapabilities.implementedBy(this);
    }

    /** How summed example gradients become the optimizer's gradient. */
    enum Reduction { MEAN, SUM }
}
