package io.concord.core.pref;

import io.concord.core.param.Checks;

/**
 * IPO as TRL implements it: {@code (Δ_w/|y_w| − Δ_l/|y_l| − 1/(2β))²}, with per-token normalisation of the
 * log-ratios (which TRL says it confirmed with the IPO authors). β plays the role of the paper's τ; default 0.1.
 */
public final class IpoLoss extends PairObjective {

    private static final long serialVersionUID = 1L;

    private final double beta;

    public IpoLoss(double beta) {
        this.beta = Checks.positive("loss.beta", beta);
    }

    @Override
    public String name() {
        return "ipo";
    }

    @Override
    public int frozenModels() {
        return 1;
    }

    @Override
    protected double pair(LogProbBatch b, int w, int l, double[] gradOut) {
        double nw = b.tokens(w);
        double nl = b.tokens(l);
        double h = (b.policy(w) - b.frozen(0, w)) / nw - (b.policy(l) - b.frozen(0, l)) / nl - 1.0 / (2.0 * beta);
        gradOut[w] = 2.0 * h / nw;
        gradOut[l] = -2.0 * h / nl;
        return h * h;
    }
}
