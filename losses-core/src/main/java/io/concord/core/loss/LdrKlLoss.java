package io.concord.core.loss;

import io.concord.core.param.Checks;

/**
 * LDR-KL, the label-distributionally-robust loss with a KL penalty (Zhu, Ying, Yang, ICML 2023;
 * DixianZhu/LDR {@code LDRLoss_V1}): {@code L = λ·log((1/K)·Σ_j exp(d_j/λ))} on softplus scores normalised to mean 1,
 * {@code d_j = c·(1 − y_j) + s_j − s_y}; equals {@code max_{p∈Δ} Σ_j p_j d_j − λ·KL(p ‖ uniform)} [derived], so values
 * can be negative. λ → ∞ gives {@code mean_j d_j}, λ → 0 gives {@code max_j d_j} [derived].
 *
 * <p>Defaults: margin c = 0.1 and λ = 1 (the paper's experiments pass {@code --margin 0.1}, λ ∈ {0.1, 1, 10};
 * {@code LDRLoss_V1}'s own constructor default margin is 2.0).
 */
public final class LdrKlLoss extends RowLoss {

    private static final long serialVersionUID = 1L;

    private final double margin;
    private final double lambda;

    public LdrKlLoss(double margin, double lambda) {
        this.margin = Checks.nonNegative("loss.margin", margin);
        this.lambda = Checks.positive("loss.lambda", lambda);
    }

    @Override
    public String name() {
        return "ldr-kl";
    }

    @Override
    double row(double[] x, double[] y, double[] g, int offset, int k, int row, double[] scratch) {
        double norm = LdrKl.scores(x, offset, k, true, scratch);
        return LdrKl.loss(x, y, g, offset, k, margin, lambda, true, norm, scratch);
    }

    @Override
    int scratchSize(int k) {
        return LdrKl.scratchSize(k);
    }
}
