package io.concord.core.pref;

import io.concord.core.model.BatchLoss;

import java.util.Arrays;
import java.util.Objects;

/**
 * Supervised fine-tuning: the negative log-likelihood of every sequence's completion (prompt masked).
 * <ul>
 *   <li>{@link Normalization#TOKEN_MEAN} (default, as TRL's {@code sft} term and HF causal-LM loss): loss sum
 *       {@code Σ −lp(y_i)} with example weight {@code Σ |y_i|}, so the engine's MEAN reduction yields the exact
 *       token mean over the global batch, however it is partitioned;</li>
 *   <li>{@link Normalization#SEQUENCE_MEAN}: {@code Σ −lp(y_i)/|y_i|}, weight = sequence count;</li>
 *   <li>{@link Normalization#SEQUENCE_SUM}: {@code Σ −lp(y_i)}, weight = sequence count.</li>
 * </ul>
 */
public final class SftLoss implements SequenceObjective {

    private static final long serialVersionUID = 1L;

    /** How the per-token NLL is averaged. */
    public enum Normalization { TOKEN_MEAN, SEQUENCE_MEAN, SEQUENCE_SUM }

    private final Normalization normalization;

    public SftLoss(Normalization normalization) {
        this.normalization = Objects.requireNonNull(normalization, "loss.normalization");
    }

    @Override
    public String name() {
        return "sft";
    }

    @Override
    public int frozenModels() {
        return 0;
    }

    public Normalization normalization() {
        return normalization;
    }

    @Override
    public BatchLoss valueAndGradient(LogProbBatch batch, double[] gradOut) {
        int n = batch.size();
        Arrays.fill(gradOut, 0, n, 0.0);
        double sum = 0.0;
        double weight = 0.0;
        for (int i = 0; i < n; i++) {
            if (normalization == Normalization.SEQUENCE_MEAN) {
                sum -= batch.policyMean(i);
                gradOut[i] = -1.0 / batch.tokens(i);
                weight += 1.0;
            } else {
                sum -= batch.policy(i);
                gradOut[i] = -1.0;
                weight += normalization == Normalization.TOKEN_MEAN ? batch.tokens(i) : 1.0;
            }
        }
        return new BatchLoss(sum, weight);
    }
}
