package io.concord.core.util;

/**
 * Numerically stable scalar functions (double precision throughout), the one copy shared by the classification
 * kernels, the preference losses and the MoE router.
 */
public final class StableMath {

    private StableMath() {
    }

    /** σ(x) = 1 / (1 + e^−x), without overflow for large |x|. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** softplus(x) = log(1 + e^x). */
    public static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** log σ(x) = −softplus(−x). */
    public static double logSigmoid(double x) {
        return -softplus(-x);
    }

    /** log Σ exp(values[i]) over the given indices; −∞ for an empty set. */
    public static double logSumExp(double[] values, int[] indices, double sign) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i : indices) {
            max = Math.max(max, sign * values[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0.0;
        for (int i : indices) {
            s += Math.exp(sign * values[i] - max);
        }
        return max + Math.log(s);
    }

    /** log Σ exp(x[c]) over {@code c ∈ [offset, offset + k)}, shifted by the maximum. */
    public static double logSumExp(double[] x, int offset, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = offset; c < offset + k; c++) {
            max = Math.max(max, x[c]);
        }
        double sum = 0.0;
        for (int c = offset; c < offset + k; c++) {
            sum += Math.exp(x[c] - max);
        }
        return max + Math.log(sum);
    }

    /** log(e^a + e^b). */
    public static double logAddExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double m = Math.max(a, b);
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }
}
