package io.concord.core.optim;

import io.concord.core.param.Checks;
/**
 * SophiaG as the current official code computes it (Liuhong99/Sophia {@code sophia.py}@195a786):
 * <pre>
 *   step:   θ ← θ(1 − lr·λ);  m ← β1·m + (1 − β1)·g   (no bias correction)
 *           ratio = min(|m|/(ρ·bs·h + 1e-15), 1);   θ ← θ − lr·sign(m)·ratio
 *   fold:   h ← β2·h + (1 − β2)·ĝ⊙ĝ       ĝ = global mean gradient against sampled labels (GNB), every k steps
 * </pre>
 * Defaults lr = 1e-4, β = (0.965, 0.99), ρ = 0.04, λ = 0.1, bs = 5120 (the code's {@code step(bs=5120)} default,
 * which its training script never overrides), k = 10 (curvature after steps t with {@code t mod k = 0}, i.e. the
 * script's {@code iter % k == k − 1}). Until the first fold h = 0, so ratio = 1 and the step is signSGD with momentum.
 * The paper's estimator is {@code B·ĝ⊙ĝ}; the code moves B into the denominator as {@code ρ·bs}. State:
 * {@code [m(n), h(n)]}, element-wise, averageable.
 */
public final class SophiaG implements CurvatureOptimizer {

    private static final long serialVersionUID = 1L;
    private static final double EPS = 1e-15;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double rho;
    private final double weightDecay;
    private final double batchSize;
    private final int interval;

    public SophiaG(double learningRate, double beta1, double beta2, double rho, double weightDecay, double batchSize,
                   int interval) {
        this.learningRate = Checks.positive("lr", learningRate);
        this.beta1 = Checks.inRange("beta1", beta1, 0.0, 1.0, true, false);
        this.beta2 = Checks.inRange("beta2", beta2, 0.0, 1.0, true, false);
        this.rho = Checks.positive("rho", rho);
        this.weightDecay = Checks.nonNegative("weightDecay", weightDecay);
        this.batchSize = Checks.positive("batchSize", batchSize);
        this.interval = Checks.positive("interval", interval);
    }

    @Override
    public String name() {
        return "sophia-g";
    }

    @Override
    public Estimator estimator() {
        return Estimator.GAUSS_NEWTON_BARTLETT;
    }

    @Override
    public boolean wantsCurvature(long t) {
        return t % interval == 0;
    }

    @Override
    public int stateSize(int numParams) {
        return 2 * numParams;
    }

    @Override
    public void step(float[] params, float[] grad, float[] state, long t) {
        final int n = params.length;
        final float decay = (float) (1.0 - learningRate * weightDecay);
        final float b1 = (float) beta1;
        final float oneMinusB1 = (float) (1.0 - beta1);
        final double scale = rho * batchSize;
        for (int i = 0; i < n; i++) {
            float m = b1 * state[i] + oneMinusB1 * grad[i];
            state[i] = m;
            double ratio = Math.min(Math.abs(m) / (scale * state[n + i] + EPS), 1.0);
            params[i] = (float) (params[i] * decay - learningRate * Math.signum(m) * ratio);
        }
    }

    @Override
    public void foldCurvature(float[] meanSampledGradient, float[] state) {
        int n = state.length / 2;
        if (meanSampledGradient.length != n) {
            throw new IllegalArgumentException("sophia-g: curvature estimate has " + meanSampledGradient.length
                    + " entries, parameters have " + n);
        }
        final float b2 = (float) beta2;
        final float oneMinusB2 = (float) (1.0 - beta2);
        for (int i = 0; i < n; i++) {
            float g = meanSampledGradient[i];
            state[n + i] = b2 * state[n + i] + oneMinusB2 * g * g;
        }
    }
}
