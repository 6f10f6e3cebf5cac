package io.concord.core.pref;

import io.concord.core.util.StableMath;

import io.concord.core.param.Checks;

/**
 * TRL's {@code sigmoid_norm}: {@code −log σ(β·(Δ_w/|y_w| − Δ_l/|y_l|))}, DPO on token-averaged log-ratios (TRL labels
 * it SimPO-inspired, but it keeps the reference and has no margin γ). Default β = 0.1.
 */
public final class SigmoidNormLoss extends PairObjective {

    private static final long serialVersionUID = 1L;

    private final double beta;

    public SigmoidNormLoss(double beta) {
        this.beta = Checks.positive("loss.beta", beta);
    }

    @Override
    public String name() {
        return "sigmoid_norm";
    }

    @Override
    public int frozenModels() {
        return 1;
    }

    @Override
    protected double pair(LogProbBatch b, int w, int l, double[] gradOut) {
        double nw = b.tokens(w);
        double nl = b.tokens(l);
        double x = beta * ((b.policy(w) - b.frozen(0, w)) / nw - (b.policy(l) - b.frozen(0, l)) / nl);
        double dx = -beta * StableMath.sigmoid(-x);
        gradOut[w] = dx / nw;
        gradOut[l] = -dx / nl;
        return -StableMath.logSigmoid(x);
    }
}
