package io.concord.core.loss;

import io.concord.core.util.StableMath;

import io.concord.core.param.Checks;

/**
 * The comp-sum family of Mao, Mohri and Zhong (ICML 2023, arXiv 2304.07288): with {@code u = Σ_{y'≠y} exp(h_{y'} − h_y)},
 * so that {@code p_y = 1/(1+u)},
 * <pre>
 *   Φ^τ(u) = log(1 + u)                         τ = 1   cross-entropy
 *   Φ^τ(u) = ((1 + u)^(1−τ) − 1)/(1 − τ)        τ ≠ 1   = (p_y^(τ−1) − 1)/(1 − τ)
 * </pre>
 * τ = 0 is the sum-exponential loss {@code u}; τ = 1 + q with q ∈ (0, 1] is generalised cross-entropy
 * {@code (1 − p_y^q)/q} (GCE, q = 0.7 by default, as DixianZhu/LDR {@code GCELoss}); τ = 2 is MAE {@code 1 − p_y}.
 * The τ-parametrisation itself is [unverified] (the paper body was not checked); every member matches reference code.
 *
 * <p>Gradient [derived]: {@code ∇_h = p_y^(τ−1)·(p − e_y)}. Soft target rows are handled as the expectation
 * {@code Σ_c y_c Φ^τ(u_c)}.
 *
 * <p>MAE note: DixianZhu/LDR {@code MAELoss} computes {@code Σ(y_true − probs)}, which is identically zero; this class
 * computes {@code 1 − p_y} instead.
 */
public final class CompSumLoss extends RowLoss {

    private static final long serialVersionUID = 1L;

    private final double tau;
    private final String name;

    private CompSumLoss(double tau, String name) {
        this.tau = tau;
        this.name = name;
    }

    /** The family member with parameter τ ≥ 0. */
    public static CompSumLoss of(double tau) {
        Checks.nonNegative("loss.tau", tau);
        return new CompSumLoss(tau, "comp-sum");
    }

    /** Generalised cross-entropy {@code (1 − p_y^q)/q}, q ∈ (0, 1]. */
    public static CompSumLoss generalizedCrossEntropy(double q) {
        Checks.inRange("loss.q", q, 0.0, 1.0, false, true);
        return new CompSumLoss(1.0 + q, "gce");
    }

    /** Mean absolute error {@code 1 − p_y} (half of Ghosh et al.'s {@code ‖e_y − p‖₁}). */
    public static CompSumLoss meanAbsoluteError() {
        return new CompSumLoss(2.0, "mae");
    }

    public double tau() {
        return tau;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    double row(double[] x, double[] y, double[] g, int offset, int k, int row, double[] scratch) {
        if (tau == 1.0) {
            return crossEntropyRow(x, y, g, offset, k, 1.0);
        }
        double lse = StableMath.logSumExp(x, offset, k);
        double weighted = 0.0;
        double mass = 0.0;
        for (int c = offset; c < offset + k; c++) {
            double yw = y[c] == 0.0 ? 0.0 : y[c] * Math.exp((tau - 1.0) * (x[c] - lse));
            scratch[c - offset] = yw;
            weighted += yw;
            mass += y[c];
        }
        for (int c = offset; c < offset + k; c++) {
            g[c] = Math.exp(x[c] - lse) * weighted - scratch[c - offset];
        }
        return (weighted - mass) / (1.0 - tau);
    }

    @Override
    int scratchSize(int k) {
        return k;
    }
}
