package io.concord.core.optim;

import io.concord.core.param.Checks;
/**
 * SophiaH, the Hutchinson variant (Liuhong99/Sophia {@code sophia.py}@01af183, removed from later versions):
 * <pre>
 *   step:   θ ← θ(1 − lr·λ);  m ← β1·m + (1 − β1)·g
 *           ratio = min(|m|/(γ·relu(h) + 1e-12), 1);   θ ← θ − (lr/(1 − β1^t))·sign(m)·ratio
 *   fold:   h ← β2·h + (1 − β2)·ĥ        ĥ = u ⊙ (H̄u), u ~ N(0, I) shared by all partitions
 * </pre>
 * Defaults lr = 1e-3, β = (0.9, 0.99), γ = 10, λ = 0.01; interval k = 10 as SophiaG (the old code leaves the schedule
 * to the caller). The Hutchinson sample form is the standard identity E[u ⊙ Hu] = diag(H) [unverified against the
 * paper's code, which expects the caller to put the sample in {@code p.grad}]. State {@code [m(n), h(n)]},
 * averageable.
 */
public final class SophiaH implements CurvatureOptimizer {

    private static final long serialVersionUID = 1L;
    private static final double EPS = 1e-12;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double gamma;
    private final double weightDecay;
    private final int interval;

    public SophiaH(double learningRate, double beta1, double beta2, double gamma, double weightDecay, int interval) {
        this.learningRate = Checks.positive("lr", learningRate);
        this.beta1 = Checks.inRange("beta1", beta1, 0.0, 1.0, false, false);
        this.beta2 = Checks.inRange("beta2", beta2, 0.0, 1.0, true, false);
        this.gamma = Checks.positive("gamma", gamma);
        this.weightDecay = Checks.nonNegative("weightDecay", weightDecay);
        this.interval = Checks.positive("interval", interval);
    }

    @Override
    public String name() {
        return "sophia-h";
    }

    @Override
    public Estimator estimator() {
        return Estimator.HUTCHINSON;
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
        final double stepSize = learningRate / (1.0 - Math.pow(beta1, t));
        for (int i = 0; i < n; i++) {
            float m = b1 * state[i] + oneMinusB1 * grad[i];
            state[i] = m;
            double ratio = Math.min(Math.abs(m) / (gamma * Math.max(state[n + i], 0.0f) + EPS), 1.0);
            params[i] = (float) (params[i] * decay - stepSize * Math.signum(m) * ratio);
        }
    }

    @Override
    public void foldCurvature(float[] hutchinsonSample, float[] state) {
        int n = state.length / 2;
        if (hutchinsonSample.length != n) {
            throw new IllegalArgumentException("sophia-h: curvature estimate has " + hutchinsonSample.length
                    + " entries, parameters have " + n);
        }
        final float b2 = (float) beta2;
        final float oneMinusB2 = (float) (1.0 - beta2);
        for (int i = 0; i < n; i++) {
            state[n + i] = b2 * state[n + i] + oneMinusB2 * hutchinsonSample[i];
        }
    }
}
