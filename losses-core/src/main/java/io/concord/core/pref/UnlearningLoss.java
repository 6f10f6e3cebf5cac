package io.concord.core.pref;

import io.concord.core.util.StableMath;

import io.concord.core.model.BatchLoss;
import io.concord.core.param.Checks;

import java.util.Arrays;
import java.util.Objects;

/**
 * Unlearning objectives on groups {@code [forget]} or {@code [forget, retain]} (licong-lin/negative-preference-optimization,
 * {@code TOFU/dataloader.py}), one forget sample zipped with one retain sample as the reference's dataset does:
 * <ul>
 *   <li>{@link ForgetTerm#NPO}: {@code c_f·(−(2/β)·log σ(−β·(lp(y) − lpr(y))))} with summed log-probabilities
 *       (NLL = token-sum CE over the answer), reference = the fine-tuned model before unlearning (frozen model 0);
 *       β = 0.1;</li>
 *   <li>{@link ForgetTerm#GRADIENT_ASCENT}: {@code c_f·lp(y)/|y|}, minus the token-mean NLL of the forget answer.</li>
 * </ul>
 * Retain term on the group's second sequence: {@link RetainTerm#CE} (reference {@code grad_diff}):
 * {@code c_r·(−lp(y_r)/|y_r|)}; {@link RetainTerm#KL} (reference {@code KL}): {@code c_r·(1/T)·Σ_t KL(p_ref,t ‖ p_θ,t)}
 * over the retain sequence's predicted positions, evaluated by the model ({@link #tokenKlCoefficients}).
 * With {@link RetainTerm#NONE} a retain sequence, if present, is ignored. All coefficients default to 1.0
 * ({@code TOFU/config/forget.yaml}).
 *
 * <p>Differences from the reference, which averages over a padded batch: the retain CE is averaged per sequence, and
 * the KL is averaged over the retain sequence's real positions; the reference's {@code batchmean} divides by the
 * padded row count {@code B·T}, which makes the term depend on padding.
 */
public final class UnlearningLoss implements SequenceObjective {

    private static final long serialVersionUID = 1L;

    /** What is done to the forget sample. */
    public enum ForgetTerm { NPO, GRADIENT_ASCENT }

    /** What keeps the model's utility on the retain sample. */
    public enum RetainTerm { NONE, CE, KL }

    private final ForgetTerm forget;
    private final RetainTerm retain;
    private final double beta;
    private final double forgetCoeff;
    private final double retainCoeff;

    public UnlearningLoss(ForgetTerm forget, RetainTerm retain, double beta, double forgetCoeff, double retainCoeff) {
        this.forget = Objects.requireNonNull(forget, "forget term");
        this.retain = Objects.requireNonNull(retain, "loss.retain");
        this.beta = Checks.positive("loss.beta", beta);
        this.forgetCoeff = Checks.nonNegative(forget == ForgetTerm.NPO ? "loss.npo_coeff" : "loss.forget_coeff",
                forgetCoeff);
        this.retainCoeff = Checks.nonNegative("loss.retain_coeff", retainCoeff);
    }

    @Override
    public String name() {
        return forget == ForgetTerm.NPO ? "npo" : "grad_ascent";
    }

    @Override
    public int frozenModels() {
        return forget == ForgetTerm.NPO || retain == RetainTerm.KL ? 1 : 0;
    }

    public ForgetTerm forgetTerm() {
        return forget;
    }

    public RetainTerm retainTerm() {
        return retain;
    }

    @Override
    public BatchLoss valueAndGradient(LogProbBatch batch, double[] gradOut) {
        FrozenInputs.frozen(this, batch);
        Arrays.fill(gradOut, 0, batch.size(), 0.0);
        double sum = 0.0;
        for (int g = 0; g < batch.groups(); g++) {
            checkGroup(batch, g);
            int f = batch.groupStart(g);
            if (forget == ForgetTerm.NPO) {
                double x = beta * (batch.policy(f) - batch.frozen(0, f));
                sum += forgetCoeff * (2.0 / beta) * StableMath.softplus(x);
                gradOut[f] = forgetCoeff * 2.0 * StableMath.sigmoid(x);
            } else {
                sum += forgetCoeff * batch.policyMean(f);
                gradOut[f] = forgetCoeff / batch.tokens(f);
            }
            if (retain == RetainTerm.CE) {
                int r = f + 1;
                sum -= retainCoeff * batch.policyMean(r);
                gradOut[r] = -retainCoeff / batch.tokens(r);
            }
        }
        return new BatchLoss(sum, batch.groups());
    }

    @Override
    public double[] tokenKlCoefficients(int[] groupOffsets) {
        if (retain != RetainTerm.KL) {
            return null;
        }
        double[] c = new double[groupOffsets[groupOffsets.length - 1]];
        for (int g = 0; g + 1 < groupOffsets.length; g++) {
            checkGroupSize(g, groupOffsets[g + 1] - groupOffsets[g]);
            c[groupOffsets[g] + 1] = retainCoeff;
        }
        return c;
    }

    private void checkGroup(LogProbBatch batch, int g) {
        checkGroupSize(g, batch.groupSize(g));
    }

    private void checkGroupSize(int g, int size) {
        int needed = retain == RetainTerm.NONE ? 1 : 2;
        if (size < needed || size > 2) {
            throw new IllegalArgumentException("loss '" + name() + "' with retain term " + retain + ": group " + g
                    + " has " + size + " sequences; expected "
                    + (needed == 2 ? "[forget, retain]" : "[forget] or [forget, retain]"));
        }
    }
}
