package io.concord.core.pref;

import io.concord.core.util.StableMath;

import io.concord.core.param.Checks;

/**
 * SimPO (princeton-nlp/SimPO {@code scripts/simpo_trainer.py}), reference-free: with the token averages
 * {@code ā(y) = lp(y)/|y|} and {@code u = ā(y_w) − ā(y_l) − γ/β},
 * {@code loss = −(1−ε)·log σ(βu) − ε·log σ(−βu) + w_sft·(−ā(y_w))}. Defaults as {@code simpo_config.py}: β = 2.0,
 * γ/β = {@code gamma_beta_ratio} = 0.25, ε = {@code label_smoothing} = 0, {@code sft_weight} = 0.
 *
 * <p>The reference computes the SFT term as one cross-entropy averaged over all chosen tokens of the batch; here it is
 * averaged per pair so that it is a sum over examples (equal when the chosen lengths are equal).
 */
public final class SimpoLoss extends PairObjective {

    private static final long serialVersionUID = 1L;

    private final double beta;
    private final double gammaBetaRatio;
    private final double labelSmoothing;
    private final double sftWeight;

    public SimpoLoss(double beta, double gammaBetaRatio, double labelSmoothing, double sftWeight) {
        this.beta = Checks.positive("loss.beta", beta);
        this.gammaBetaRatio = Checks.nonNegative("loss.gamma_beta_ratio", gammaBetaRatio);
        this.labelSmoothing = Checks.inRange("loss.label_smoothing", labelSmoothing, 0.0, 0.5, true, false);
        this.sftWeight = Checks.nonNegative("loss.sft_weight", sftWeight);
    }

    @Override
    public String name() {
        return "simpo";
    }

    @Override
    public int frozenModels() {
        return 0;
    }

    @Override
    protected double pair(LogProbBatch b, int w, int l, double[] gradOut) {
        double u = b.policyMean(w) - b.policyMean(l) - gammaBetaRatio;
        double x = beta * u;
        double eps = labelSmoothing;
        double value = -(1 - eps) * StableMath.logSigmoid(x) - eps * StableMath.logSigmoid(-x) - sftWeight * b.policyMean(w);
        double du = beta * (-(1 - eps) * StableMath.sigmoid(-x) + eps * StableMath.sigmoid(x));
        gradOut[w] = (du - sftWeight) / b.tokens(w);
        gradOut[l] = -du / b.tokens(l);
        return value;
    }
}
