package io.concord.core.pref;

import io.concord.core.model.BatchLoss;

import java.util.Arrays;

/**
 * Base of the losses over preference pairs: every group must be {@code [chosen, rejected]} with the chosen score
 * strictly above the rejected one. The loss sum is over pairs and the example weight is the pair count, so the
 * engine's MEAN reduction gives the per-pair mean that TRL and the reference implementations use.
 */
public abstract class PairObjective implements SequenceObjective {

    private static final long serialVersionUID = 1L;

    @Override
    public final BatchLoss valueAndGradient(LogProbBatch batch, double[] gradOut) {
        FrozenInputs.frozen(this, batch);
        Arrays.fill(gradOut, 0, batch.size(), 0.0);
        double sum = 0.0;
        for (int g = 0; g < batch.groups(); g++) {
            if (batch.groupSize(g) != 2) {
                throw new IllegalArgumentException("loss '" + name() + "': group " + g + " has " + batch.groupSize(g)
                        + " sequences; a preference pair is exactly [chosen, rejected]");
            }
            int w = batch.groupStart(g);
            int l = w + 1;
            if (!(batch.score(w) > batch.score(l))) {
                throw new IllegalArgumentException("loss '" + name() + "': group " + g + " is not [chosen, rejected]: "
                        + "scores " + batch.score(w) + ", " + batch.score(l));
            }
            sum += pair(batch, w, l, gradOut);
        }
        return new BatchLoss(sum, batch.groups());
    }

    /** Loss of one pair; writes ∂loss/∂lp into {@code gradOut[w]} and {@code gradOut[l]}. */
    protected abstract double pair(LogProbBatch b, int w, int l, double[] gradOut);

    /** {@code z = Δ(y_w) − Δ(y_l)} with {@code Δ = lp − lpr} (reference = frozen model 0). */
    protected static double referenceMargin(LogProbBatch b, int w, int l) {
        return (b.policy(w) - b.frozen(0, w)) - (b.policy(l) - b.frozen(0, l));
    }
}
