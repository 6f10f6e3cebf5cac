package io.concord.core.loss;

import io.concord.core.util.StableMath;

import io.concord.core.param.Checks;

/**
 * The confidence-limiting pass@N loss, Direct Coverage Optimization (Chen, Raventós, Cheng, Ganguli, Druckmann,
 * arXiv 2502.07154): with p̂ the model probability of a correct answer, pass@N coverage is {@code 1 − (1 − p̂)^N} and
 * <pre>
 *   L = −log(1 − (1 − p̂)^N),     ∇L = F(N, p̂)·∇(−log p̂),   F = N·p̂·(1 − p̂)^(N−1)/(1 − (1 − p̂)^N)
 * </pre>
 * F = 1 for N = 1 (plain cross-entropy) and F → 0 as p̂ → 1, so confident examples stop being pushed. The loss form is
 * [unverified] (consistent with the authors' blog); the gradient is [derived].
 *
 * <p>As a {@link Loss}: outputs are logits, targets a 0/1 mask of the correct classes (one-hot for a single answer),
 * {@code p̂ = Σ_c y_c softmax(x)_c}. For sequences, {@link #valueAndWeight} takes {@code log p̂} (the answer's summed
 * token log-probabilities). Computed in the log domain with log1p/expm1. N has no default.
 */
public final class PassAtNLoss extends RowLoss {

    private static final long serialVersionUID = 1L;

    private final int n;

    public PassAtNLoss(int n) {
        this.n = Checks.positive("loss.n", n);
    }

    @Override
    public String name() {
        return "pass-at-n";
    }

    public int n() {
        return n;
    }

    /**
     * {@code [L, F]} for one answer with log-probability {@code logP ≤ 0}: the loss and the weight F that multiplies
     * the gradient of {@code −log p̂}.
     */
    public double[] valueAndWeight(double logP) {
        if (!(logP <= 0.0)) {
            throw new IllegalArgumentException("pass-at-n: log-probability " + logP + " must be <= 0");
        }
        double logMiss = logP > -Math.log(2.0) ? Math.log(-Math.expm1(logP)) : Math.log1p(-Math.exp(logP));
        return valueAndWeight(logP, logMiss);
    }

    /** As {@link #valueAndWeight(double)} with {@code log(1 − p̂)} supplied (computed without cancellation). */
    private double[] valueAndWeight(double logP, double logMiss) {
        double logCoverage = Math.log(-Math.expm1(n * logMiss));
        double value = -logCoverage;
        double weight = n == 1 ? 1.0 : Math.exp(Math.log(n) + logP + (n - 1) * logMiss - logCoverage);
        return new double[] {value, weight};
    }

    @Override
    double row(double[] x, double[] y, double[] g, int offset, int k, int row, double[] scratch) {
        double lse = StableMath.logSumExp(x, offset, k);
        double mass = 0.0;
        double miss = 0.0;
        for (int c = offset; c < offset + k; c++) {
            double p = Math.exp(x[c] - lse);
            g[c] = p;
            mass += y[c] * p;
            miss += (1.0 - y[c]) * p;
        }
        if (!(mass > 0.0)) {
            throw new IllegalArgumentException(name() + ": targets row " + row
                    + " marks no class with positive probability");
        }
        double logP = mass <= 0.5 ? Math.log(mass) : Math.log1p(-Math.min(miss, 1.0));
        double logMiss = miss <= 0.5 ? Math.log(miss) : Math.log1p(-Math.min(mass, 1.0));
        double[] lw = valueAndWeight(Math.min(0.0, logP), logMiss);
        for (int c = offset; c < offset + k; c++) {
            g[c] = lw[1] * (g[c] - y[c] * g[c] / mass);
        }
        return lw[0];
    }
}
