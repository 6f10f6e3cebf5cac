package io.concord.core.optim;

/**
 * Adam and AdamW exactly as {@code torch.optim.Adam}/{@code AdamW} compute them (bias-corrected moments, eps added to
 * the bias-corrected square root). With {@code decoupled} the weight decay is AdamW's {@code θ ← θ − lr·λ·θ} applied
 * before the moment update; otherwise it is Adam's coupled L2 ({@code g ← g + λθ}).
 *
 * <p>State layout: {@code [m(0..n-1), v(0..n-1)]}.
 */
public final class Adam implements Optimizer {

    private static final long serialVersionUID = 1L;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;

    public Adam(double learningRate, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        Hyper.positive("optimizer.lr", learningRate);
        Hyper.inRange("optimizer.beta1", beta1, 0.0, 1.0, true, false);
        Hyper.inRange("optimizer.beta2", beta2, 0.0, 1.0, true, false);
        Hyper.positive("optimizer.eps", eps);
        Hyper.nonNegative("optimizer.weightDecay", weightDecay);
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
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

    @Override
    public int stateSize(int numParams) {
        return 2 * numParams;
    }

    @Override
    public void step(float[] params, float[] grad, float[] state, long t) {
        final int n = params.length;
        final double bc1 = 1.0 - Math.pow(beta1, t);
        final double bc2 = 1.0 - Math.pow(beta2, t);
        final float stepSize = (float) (learningRate / bc1);
        final float invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2));
        final float b1 = (float) beta1;
        final float b2 = (float) beta2;
        final float oneMinusB1 = (float) (1.0 - beta1);
        final float oneMinusB2 = (float) (1.0 - beta2);
        final float e = (float) eps;
        final float decay = decoupled ? (float) (1.0 - learningRate * weightDecay) : 1.0f;
        final float l2 = decoupled ? 0.0f : (float) weightDecay;
        for (int i = 0; i < n; i++) {
            float p = params[i];
            float g = grad[i] + l2 * p;
            p *= decay;
            float m = b1 * state[i] + oneMinusB1 * g;
            float v = b2 * state[n + i] + oneMinusB2 * g * g;
            state[i] = m;
            state[n + i] = v;
            params[i] = p - stepSize * m / ((float) Math.sqrt(v) * invSqrtBc2 + e);
        }
    }
}
