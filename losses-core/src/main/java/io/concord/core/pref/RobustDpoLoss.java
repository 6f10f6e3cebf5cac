package io.concord.core.pref;

import io.concord.core.util.StableMath;

import io.concord.core.param.Checks;

/**
 * Robust DPO (TRL {@code loss_type="robust"}): {@code [−(1−ε)·log σ(βz) + ε·log σ(−βz)] / (1−2ε)}, an unbiased
 * estimate of the DPO loss under label noise of rate ε ∈ [0, 0.5). Defaults β = 0.1, ε = 0 (then equal to DPO).
 */
public final class RobustDpoLoss extends PairObjective {

    private static final long serialVersionUID = 1L;

    private final double beta;
    private final double labelSmoothing;

    public RobustDpoLoss(double beta, double labelSmoothing) {
        this.beta = Checks.positive("loss.beta", beta);
        this.labelSmoothing = Checks.inRange("loss.label_smoothing", labelSmoothing, 0.0, 0.5, true, false);
    }

    @Override
    public String name() {
        return "robust";
    }

    @Override
    public int frozenModels() {
        return 1;
    }

    @Override
    protected double pair(LogProbBatch b, int w, int l, double[] gradOut) {
        double x = beta * referenceMargin(b, w, l);
        double eps = labelSmoothing;
        double norm = 1.0 - 2.0 * eps;
        double value = (-(1 - eps) * StableMath.logSigmoid(x) + eps * StableMath.logSigmoid(-x)) / norm;
        double dz = beta * (-(1 - eps) * StableMath.sigmoid(-x) - eps * StableMath.sigmoid(x)) / norm;
        gradOut[w] = dz;
        gradOut[l] = -dz;
        return value;
    }
}
