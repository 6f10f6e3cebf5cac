package io.concord.core.optim;

import io.concord.core.param.ParamException;
import io.concord.core.param.Checks;
import io.concord.core.util.VectorSupport;
/**
 * Adam and AdamW. Two conventions, which give different numbers for the same hyperparameters:
 * <ul>
 *   <li>{@link Convention#TORCH} (default): exactly as {@code torch.optim.Adam}/{@code AdamW} compute them —
 *   bias-corrected moments, eps added to the bias-corrected square root {@code √v̂ + eps}; with {@code decoupled} the
 *   weight decay is AdamW's {@code θ ← θ − lr·λ·θ} applied <em>before</em> the moment update, otherwise Adam's coupled
 *   L2 ({@code g ← g + λθ}). FRUGAL's {@code adamw.py} is numerically identical to this.</li>
 *   <li>{@link Convention#HF}: the HuggingFace-style AdamW used by Fira — {@code denom = √v + eps} (eps not bias
 *   corrected), {@code step = lr·√(1−β2^t)/(1−β1^t)}, and decoupled weight decay applied <em>after</em> the update, on
 *   the updated θ. Requires {@code decoupled}.</li>
 * </ul>
 * <p>State layout: {@code [m(0..n-1), v(0..n-1)]}.
 */
public final class Adam implements Optimizer {

    private static final long serialVersionUID = 2L;

    /** Where eps and the decoupled weight decay go; see the class comment. */
    public enum Convention { TORCH, HF }

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final Convention convention;

    public Adam(double learningRate, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        this(learningRate, beta1, beta2, eps, weightDecay, decoupled, Convention.TORCH);
    }

    public Adam(double learningRate, double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
                Convention convention) {
        Checks.positive("lr", learningRate);
        Checks.inRange("beta1", beta1, 0.0, 1.0, true, false);
        Checks.inRange("beta2", beta2, 0.0, 1.0, true, false);
        Checks.positive("eps", eps);
        Checks.nonNegative("weightDecay", weightDecay);
        if (convention == Convention.HF && !decoupled) {
            throw new ParamException("convention", "hf applies decoupled weight decay after the "
                    + "update; coupled L2 (adam) is only available with the torch convention");
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.convention = convention;
    }

    /** torch.optim.Adam defaults with the given learning rate. */
    public static Adam adam(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8, 0.0, false);
    }

    /** torch.optim.AdamW defaults (weight decay 0.01) with the given learning rate. */
    public static Adam adamW(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8, 0.01, true);
    }

    @Override
    public String name() {
        return decoupled ? "adamw" : "adam";
    }

    public Convention convention() {
        return convention;
    }

    @Override
    public int stateSize(int numParams) {
        return 2 * numParams;
    }

    @Override
    public void step(float[] params, float[] grad, float[] state, long t) {
        stepSlice(params, grad, 0, params.length, state, t);
    }

    /**
     * With the Vector API ({@link VectorSupport}) the loop runs in SIMD lanes ({@link AdamLanes}), each computing
     * exactly the scalar formula, so both paths give bit-identical results for any length and offset.
     */
    @Override
    public void stepSlice(float[] params, float[] grad, int offset, int length, float[] state, long t) {
        run(params, grad, offset, length, state, t, false, 0f);
    }

    /** Adds the model's L2 term in the same pass, before Adam's own coupled one (as regularising first would). */
    @Override
    public void stepSliceWithL2(float[] params, float[] grad, int offset, int length, float[] state, long t,
                                float l2) {
        run(params, grad, offset, length, state, t, true, l2);
    }

    private void run(float[] params, float[] grad, int offset, int length, float[] state, long t,
                     boolean modelL2, float modelCoefficient) {
        AdamKernel kernel = convention == Convention.TORCH
                ? AdamKernel.torch(learningRate, beta1, beta2, eps, t)
                : AdamKernel.hf(learningRate, beta1, beta2, eps, t);
        final float decay = (float) (1.0 - learningRate * weightDecay);
        final float l2 = decoupled ? 0.0f : (float) weightDecay;
        final boolean decayBefore = decoupled && convention == Convention.TORCH;
        final boolean decayAfter = convention == Convention.HF;
        int i = VectorSupport.available()
                ? AdamLanes.step(params, grad, offset, length, state, kernel, modelL2, modelCoefficient, l2,
                        decayBefore, decayAfter, decay)
                : 0;
        for (; i < length; i++) {
            float p = params[offset + i];
            float g = grad[offset + i];
            if (modelL2) {
                g += modelCoefficient * p;
            }
            g += l2 * p;
            if (decayBefore) {
                p *= decay;
            }
            p += kernel.update(g, state, i, length + i);
            params[offset + i] = decayAfter ? p * decay : p;
        }
    }

    @Override
    public boolean elementWise() {
        return true;
    }
}
