package io.concord.core.pref;

import io.concord.core.util.StableMath;

import io.concord.core.param.Checks;

/**
 * DPO ({@code loss_type="sigmoid"} in TRL): {@code −(1−ε)·log σ(βz) − ε·log σ(−βz)} with {@code z = Δ(y_w) − Δ(y_l)}
 * over summed log-probabilities. {@code ε = label_smoothing} (0 = plain DPO; ε > 0 is TRL's conservative cDPO).
 * Defaults as TRL's DPOConfig: β = 0.1, ε = 0.
 */
public final class DpoLoss extends PairObjective {

    private static final long serialVersionUID = 1L;

    private final double beta;
    private final double labelSmoothing;

    public DpoLoss(double beta, double labelSmoothing) {
        this.beta = Checks.positive("loss.beta", beta);
        this.labelSmoothing = Checks.inRange("loss.label_smoothing", labelSmoothing, 0.0, 0.5, true, false);
    }

    @Override
    public String name() {
        return "dpo";
    }

    @Override
    public int frozenModels() {
        return 1;
    }

    public double beta() {
        return beta;
    }

    @Override
    protected double pair(LogProbBatch b, int w, int l, double[] gradOut) {
        double x = beta * referenceMargin(b, w, l);
        double eps = labelSmoothing;
        double value = -(1 - eps) * StableMath.logSigmoid(x) - eps * StableMath.logSigmoid(-x);
        double dz = beta * (-(1 - eps) * StableMath.sigmoid(-x) + eps * StableMath.sigmoid(x));
        gradOut[w] = dz;
        gradOut[l] = -dz;
        return value;
    }
}
