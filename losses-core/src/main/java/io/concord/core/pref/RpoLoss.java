package io.concord.core.pref;

import java.util.Objects;
import io.concord.core.util.StableMath;

import io.concord.core.param.Checks;

/**
 * RPO (Liu et al., "Provably Mitigating Overoptimization in RLHF", arXiv 2405.16436): DPO plus an SFT term on the
 * chosen response, in the two published variants of the authors' repository (YSLIU627/Regularized-Preference-Optimization):
 * <ul>
 *   <li>{@link Variant#HANDBOOK} ({@code alignment-handbook/scripts/rpo_trainer.py}):
 *       {@code −log σ(βz) − η·β·lp(y_w)}, the chosen log-probability SUMMED over tokens; recipe defaults η = 0.005,
 *       β = 0.01;</li>
 *   <li>{@link Variant#OPENRLHF} ({@code OpenRLHF/openrlhf/trainer/dpo_trainer.py}):
 *       {@code −log σ(βz) + η·(−lp(y_w)/|y_w|)}, the chosen NLL AVERAGED over its tokens (per sequence, then the mean
 *       over pairs); {@code train_rpo.sh} defaults η = 0.2, β = 0.5.</li>
 * </ul>
 * TRL's former {@code rpo_alpha} is the OPENRLHF shape except that TRL averages tokens over the whole batch; with equal
 * completion lengths the two coincide.
 */
public final class RpoLoss extends PairObjective {

    private static final long serialVersionUID = 1L;

    /** Which published SFT term is added to DPO. */
    public enum Variant {
        HANDBOOK(0.01, 0.005), OPENRLHF(0.5, 0.2);

        final double defaultBeta;
        final double defaultEta;

        Variant(double defaultBeta, double defaultEta) {
            this.defaultBeta = defaultBeta;
            this.defaultEta = defaultEta;
        }

        public double defaultBeta() {
            return defaultBeta;
        }

        public double defaultEta() {
            return defaultEta;
        }
    }

    private final Variant variant;
    private final double beta;
    private final double eta;

    public RpoLoss(Variant variant, double beta, double eta) {
        this.variant = Objects.requireNonNull(variant, "loss.variant");
        this.beta = Checks.positive("loss.beta", beta);
        this.eta = Checks.nonNegative("loss.eta", eta);
    }

    @Override
    public String name() {
        return "rpo";
    }

    @Override
    public int frozenModels() {
        return 1;
    }

    public Variant variant() {
        return variant;
    }

    @Override
    protected double pair(LogProbBatch b, int w, int l, double[] gradOut) {
        double x = beta * referenceMargin(b, w, l);
        double dz = -beta * StableMath.sigmoid(-x);
        double value = -StableMath.logSigmoid(x);
        double sftValue;
        double sftGrad;
        if (variant == Variant.HANDBOOK) {
            sftValue = -eta * beta * b.policy(w);
            sftGrad = -eta * beta;
        } else {
            sftValue = -eta * b.policyMean(w);
            sftGrad = -eta / b.tokens(w);
        }
        gradOut[w] = dz + sftGrad;
        gradOut[l] = -dz;
        return value + sftValue;
    }
}
