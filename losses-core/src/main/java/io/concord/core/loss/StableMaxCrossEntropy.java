package io.concord.core.loss;

/**
 * Cross-entropy of StableMax (Prieto et al., "Grokking at the Edge of Numerical Stability", arXiv 2501.04697; code:
 * EIFY/grokking-at-the-edge-of-numerical-stability {@code utils.py}):
 * <pre>
 *   s(x) = x + 1 (x ≥ 0),  1/(1 − x + 1e-30) (x &lt; 0);   P_i = s(x_i)/Σ_j s(x_j);   L = −log P_y
 * </pre>
 * written branch-free as {@code s = (1 + relu(x))/(1 − min(x, 0) + 1e-30)}. Gradient [derived]:
 * {@code ∂L/∂x_j = s'(x_j)/Σs − δ_jy·s'(x_y)/s(x_y)}, {@code s' = 1/(1 − min(x, 0))²}. Computed in float64 (the
 * reference makes the dtype a parameter); finite for logits of ±1e4 and beyond, where exp overflows. Not
 * shift-invariant. Soft targets give {@code Σ_c y_c (−log P_c)}.
 */
public final class StableMaxCrossEntropy extends RowLoss {

    public static final StableMaxCrossEntropy INSTANCE = new StableMaxCrossEntropy();
    private static final long serialVersionUID = 1L;
    /** The reference's guard; a no-op in float64 because the denominator is ≥ 1. */
    private static final double EPS = 1e-30;

    private StableMaxCrossEntropy() {
    }

    @Override
    public String name() {
        return "stablemax";
    }

    @Override
    double row(double[] x, double[] y, double[] g, int offset, int k, int row, double[] s) {
        double total = 0.0;
        double mass = 0.0;
        double value = 0.0;
        for (int c = offset; c < offset + k; c++) {
            double denominator = 1.0 - Math.min(x[c], 0.0) + EPS;
            double sc = (1.0 + Math.max(x[c], 0.0)) / denominator;
            s[c - offset] = sc;
            g[c] = 1.0 / (denominator * denominator);
            total += sc;
            mass += y[c];
            if (y[c] != 0.0) {
                value -= y[c] * Math.log(sc);
            }
        }
        value += mass * Math.log(total);
        for (int c = offset; c < offset + k; c++) {
            g[c] = g[c] * mass / total - y[c] * g[c] / s[c - offset];
        }
        return value;
    }

    @Override
    int scratchSize(int k) {
        return k;
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
