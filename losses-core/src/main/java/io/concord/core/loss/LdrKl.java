package io.concord.core.loss;

import io.concord.core.util.StableMath;

/**
 * The per-row computation LDR-KL and ALDR-KL share (Zhu, Ying, Yang, ICML 2023; code: DixianZhu/LDR {@code loss.py}):
 * <pre>
 *   s = (softplus?)(logits);  s = s/(‖s‖₁/K);  d_j = c·(1 − y_j) + s_j − s_y
 *   L = λ·log((1/K)·Σ_j exp(d_j/λ))          (max-shifted)
 * </pre>
 * Gradient [derived]: {@code ∂L/∂s_k = q_k − y_k}, {@code q = softmax(d/λ)}, then through the normalisation
 * {@code ∂L/∂x_k = (g_k − sign(x_k)·(1/K)·Σ_j g_j s_j)/n}, {@code n = ‖x‖₁/K}, then through the softplus. With soft
 * targets {@code s_y} is {@code Σ_c y_c s_c}. The normaliser n is floored at 1e-12 (the reference has no guard; it
 * only matters for an all-zero row without softplus). Scratch layout: {@code [s(k), base(k), q(k)]}.
 */
final class LdrKl {

    private static final double MIN_NORM = 1e-12;

    private LdrKl() {
    }

    static int scratchSize(int k) {
        return 3 * k;
    }

    /** Writes the normalised scores s into {@code scratch[0, k)} (base values into {@code [k, 2k)}); returns n. */
    static double scores(double[] x, int offset, int k, boolean softplus, double[] scratch) {
        double norm = 0.0;
        for (int c = 0; c < k; c++) {
            double base = softplus ? StableMath.softplus(x[offset + c]) : x[offset + c];
            scratch[k + c] = base;
            norm += Math.abs(base);
        }
        norm = Math.max(norm / k, MIN_NORM);
        for (int c = 0; c < k; c++) {
            scratch[c] = scratch[k + c] / norm;
        }
        return norm;
    }

    /** The loss of one row for the scores in {@code scratch} and λ; writes the gradient w.r.t. the logits. */
    static double loss(double[] x, double[] y, double[] g, int offset, int k, double margin, double lambda,
                       boolean softplus, double norm, double[] scratch) {
        double sy = 0.0;
        for (int c = 0; c < k; c++) {
            sy += y[offset + c] * scratch[c];
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double e = (margin * (1.0 - y[offset + c]) + scratch[c] - sy) / lambda;
            scratch[2 * k + c] = e;
            max = Math.max(max, e);
        }
        double sum = 0.0;
        for (int c = 0; c < k; c++) {
            double q = Math.exp(scratch[2 * k + c] - max);
            scratch[2 * k + c] = q;
            sum += q;
        }
        double gs = 0.0;
        for (int c = 0; c < k; c++) {
            double gc = scratch[2 * k + c] / sum - y[offset + c];
            scratch[2 * k + c] = gc;
            gs += gc * scratch[c];
        }
        gs /= k;
        for (int c = 0; c < k; c++) {
            double base = scratch[k + c];
            double grad = (scratch[2 * k + c] - Math.signum(base) * gs) / norm;
            g[offset + c] = softplus ? grad * StableMath.sigmoid(x[offset + c]) : grad;
        }
        return lambda * (max + Math.log(sum) - Math.log(k));
    }
}
