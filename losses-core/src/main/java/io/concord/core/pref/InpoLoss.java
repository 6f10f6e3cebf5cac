package io.concord.core.pref;

import io.concord.core.param.Checks;

/**
 * INPO (Zhang et al., "Iterative Nash Policy Optimization", arXiv 2407.00617) as the third-party {@code MyINPOTrainer}
 * computes it — <b>[secondary]</b>: no official code is known and the form is not confirmed from the paper text.
 * With τ the KL-to-reference coefficient, η the online-mirror-descent step size, frozen model 0 the reference and
 * frozen model 1 the previous iterate π_t:
 * <pre>
 *   h    = [lp(y_w) − lp(y_l)] − (τ/η)·[lpr(y_w) − lpr(y_l)] − ((η−τ)/η)·[lp_t(y_w) − lp_t(y_l)]
 *   loss = (h − 1/(2η))²
 * </pre>
 * over summed log-probabilities. Defaults there: τ = 0.1, η = 0.05. With τ = η it is IPO without token normalisation
 * at β = η [derived].
 */
public final class InpoLoss extends PairObjective {

    private static final long serialVersionUID = 1L;

    private final double tau;
    private final double eta;

    public InpoLoss(double tau, double eta) {
        this.tau = Checks.positive("loss.tau", tau);
        this.eta = Checks.positive("loss.eta", eta);
    }

    @Override
    public String name() {
        return "inpo";
    }

    @Override
    public int frozenModels() {
        return 2;
    }

    @Override
    protected double pair(LogProbBatch b, int w, int l, double[] gradOut) {
        double h = (b.policy(w) - b.policy(l))
                - (tau / eta) * (b.frozen(0, w) - b.frozen(0, l))
                - ((eta - tau) / eta) * (b.frozen(1, w) - b.frozen(1, l));
        double r = h - 1.0 / (2.0 * eta);
        gradOut[w] = 2.0 * r;
        gradOut[l] = -2.0 * r;
        return r * r;
    }
}
