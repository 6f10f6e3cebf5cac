package io.concord.core.loss;

import io.concord.core.util.StableMath;

import io.concord.core.param.Checks;

/**
 * The PaLM / T5X logit z-loss, an auxiliary regulariser that keeps the log-partition near zero (T5X
 * {@code cross_entropy_with_logits}): {@code coefficient·(log Z)²} per example, {@code log Z = logsumexp(logits)},
 * optionally added to the softmax cross-entropy as T5X does. Gradient (T5X custom VJP):
 * {@code (Σ_c y_c + 2·coefficient·log Z)·softmax − y}. Not to be confused with {@link SphericalZLoss}.
 *
 * <p>T5X's default coefficient is 0; 1e-4 (the default here) is PaLM's value as quoted by third-party snippets.
 */
public final class LogitZLoss extends RowLoss {

    private static final long serialVersionUID = 1L;

    private final double coefficient;
    private final boolean withCrossEntropy;

    /**
     * @param coefficient      weight of {@code (log Z)²}, ≥ 0
     * @param withCrossEntropy add the softmax cross-entropy (T5X form); otherwise only the regulariser is computed
     */
    public LogitZLoss(double coefficient, boolean withCrossEntropy) {
        this.coefficient = Checks.nonNegative("loss.coefficient", coefficient);
        this.withCrossEntropy = withCrossEntropy;
    }

    @Override
    public String name() {
        return "logit-z-loss";
    }

    @Override
    double row(double[] x, double[] y, double[] g, int offset, int k, int row, double[] scratch) {
        double lse = StableMath.logSumExp(x, offset, k);
        double value = coefficient * lse * lse;
        double weight = 2.0 * coefficient * lse;
        if (withCrossEntropy) {
            for (int c = offset; c < offset + k; c++) {
                weight += y[c];
                if (y[c] != 0.0) {
                    value += y[c] * (lse - x[c]);
                }
            }
        }
        for (int c = offset; c < offset + k; c++) {
            g[c] = Math.exp(x[c] - lse) * weight - (withCrossEntropy ? y[c] : 0.0);
        }
        return value;
    }
}
