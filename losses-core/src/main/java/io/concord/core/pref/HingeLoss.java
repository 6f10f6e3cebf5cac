package io.concord.core.pref;

import io.concord.core.param.Checks;

/**
 * Hinge (SLiC / RSO; TRL {@code loss_type="hinge"}): {@code max(0, 1 − βz)}, β = 1/margin, default 0.1. At the kink
 * {@code βz = 1} the subgradient 0 is used.
 */
public final class HingeLoss extends PairObjective {

    private static final long serialVersionUID = 1L;

    private final double beta;

    public HingeLoss(double beta) {
        this.beta = Checks.positive("loss.beta", beta);
    }

    @Override
    public String name() {
        return "hinge";
    }

    @Override
    public int frozenModels() {
        return 1;
    }

    @Override
    protected double pair(LogProbBatch b, int w, int l, double[] gradOut) {
        double slack = 1.0 - beta * referenceMargin(b, w, l);
        if (slack > 0.0) {
            gradOut[w] = -beta;
            gradOut[l] = beta;
            return slack;
        }
        return 0.0;
    }
}
