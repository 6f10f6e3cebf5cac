package io.concord.core.pref;

import io.concord.core.lm.PromptCompletion;
import io.concord.core.lm.GruLanguageModel;
import io.concord.core.model.BatchLoss;
import io.concord.core.model.Model;
import io.concord.core.model.ModelCapabilities;
import io.concord.core.model.StepContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link GruLanguageModel} trained with a {@link SequenceObjective} over records that expand into sequence groups
 * (pairs, ranked lists, unlearning examples, plain SFT sequences), as a Concord {@link Model}.
 *
 * <p>Per batch: the frozen models' completion log-probabilities are computed without gradient from fixed parameter
 * vectors held by this model (index 0 = the reference, e.g. the SFT checkpoint or a {@link ModelSoup}; index 1 = the
 * previous iterate for INPO); the policy's from {@code params}; the objective turns them into a loss and a weight
 * ∂L/∂lp per sequence, which the language model back-propagates exactly. Token-level KL terms the objective asks for
 * ({@link SequenceObjective#tokenKlCoefficients}) are evaluated against frozen model 0's next-token distributions.
 *
 * <p>The frozen vectors travel with the model (it is {@link java.io.Serializable}); a job that prefers a broadcast
 * can precompute reference log-probabilities once with {@link #logProbBatch} instead.
 *
 * @param <R> record type
 */
public final class PreferenceModel<R extends SequenceGroup> implements Model<R> {

    private static final long serialVersionUID = 1L;

    private final GruLanguageModel lm;
    private final SequenceObjective objective;
    private final float[][] frozen;
    private transient double[][] frozenWide;

    /**
     * @param frozen parameter vectors of the frozen models, at least {@code objective.frozenModels()} of them (extra
     *               ones are ignored)
     */
    public PreferenceModel(GruLanguageModel lm, SequenceObjective objective, List<float[]> frozen) {
        this.lm = Objects.requireNonNull(lm, "lm");
        this.objective = Objects.requireNonNull(objective, "objective");
        if (frozen.size() < objective.frozenModels()) {
            throw new IllegalArgumentException("loss '" + objective.name() + "' needs " + objective.frozenModels()
                    + " frozen parameter vector(s) (reference" + (objective.frozenModels() > 1 ? ", previous iterate"
                    : "") + "), got " + frozen.size());
        }
        this.frozen = new float[objective.frozenModels()][];
        for (int k = 0; k < this.frozen.length; k++) {
            float[] f = frozen.get(k);
            if (f.length != lm.numParams()) {
                throw new IllegalArgumentException("frozen parameter vector " + k + " has length " + f.length
                        + ", model needs " + lm.numParams());
            }
            this.frozen[k] = f.clone();
        }
    }

    public GruLanguageModel languageModel() {
        return lm;
    }

    public SequenceObjective objective() {
        return objective;
    }

    @Override
    public int numParams() {
        return lm.numParams();
    }

    /** Not thread-safe: the widened frozen vectors are cached on the instance without synchronisation. */
    @Override
    public ModelCapabilities<R> capabilities() {
        return ModelCapabilities.implementedBy(this).notThreadSafe();
    }

    @Override
    public void initParams(float[] params, long seed) {
        lm.initParams(params, seed);
    }

    @Override
    public BatchLoss accumulateGradient(float[] params, List<R> batch, float[] grad, StepContext ctx) {
        if (batch.isEmpty()) {
            return BatchLoss.ZERO;
        }
        double[] g = new double[lm.numParams()];
        BatchLoss loss = lossAndGradient(GruLanguageModel.widen(params), batch, g);
        for (int i = 0; i < g.length; i++) {
            grad[i] += (float) g[i];
        }
        return loss;
    }

    /** The exact computation behind {@link #accumulateGradient}, in double (adds into {@code grad}). */
    public BatchLoss lossAndGradient(double[] params, List<R> batch, double[] grad) {
        Layout layout = Layout.of(batch);
        double[] kl = objective.tokenKlCoefficients(layout.offsets);
        boolean[] full = null;
        if (kl != null) {
            full = new boolean[kl.length];
            for (int i = 0; i < kl.length; i++) {
                full[i] = kl[i] != 0.0;
            }
        }
        double[][] frozenLp = new double[frozen.length][];
        GruLanguageModel.Pass reference = null;
        for (int k = 0; k < frozen.length; k++) {
            GruLanguageModel.Pass p = lm.forward(frozenParams(k), layout.sequences, k == 0 ? full : null, false);
            frozenLp[k] = p.logProbs();
            if (k == 0) {
                reference = p;
            }
        }
        if (kl != null && reference == null) {
            throw new IllegalStateException("loss '" + objective.name() + "' asks for a KL term but has no reference");
        }
        GruLanguageModel.Pass policy = lm.forward(params, layout.sequences, full, true);
        LogProbBatch lp = new LogProbBatch(layout.offsets, policy.logProbs(), policy.completionTokens(), frozenLp,
                layout.scores);
        double[] dLp = new double[lp.size()];
        BatchLoss loss = objective.valueAndGradient(lp, dLp);
        double klValue = kl == null ? 0.0 : policy.klTo(reference, kl);
        policy.backward(dLp, kl == null ? null : reference, kl, grad);
        return new BatchLoss(loss.lossSum() + klValue, loss.weight());
    }

    /**
     * Policy and frozen log-probabilities of {@code records} without gradient: the input of evaluation metrics
     * (implicit-reward accuracy, forget-set likelihood) and of a precomputation pass.
     */
    public LogProbBatch logProbBatch(float[] params, List<R> records) {
        Layout layout = Layout.of(records);
        double[][] frozenLp = new double[frozen.length][];
        for (int k = 0; k < frozen.length; k++) {
            frozenLp[k] = lm.forward(frozenParams(k), layout.sequences, null, false).logProbs();
        }
        GruLanguageModel.Pass policy = lm.forward(GruLanguageModel.widen(params), layout.sequences, null, false);
        return new LogProbBatch(layout.offsets, policy.logProbs(), policy.completionTokens(), frozenLp, layout.scores);
    }

    /** ∇_θ lp(y) of one sequence (flattened over all parameters), in double. */
    public double[] sequenceGradient(float[] params, PromptCompletion sequence) {
        double[] g = new double[lm.numParams()];
        GruLanguageModel.Pass p = lm.forward(GruLanguageModel.widen(params), List.of(sequence), null, true);
        p.backward(new double[] {1.0}, null, null, g);
        return g;
    }

    /** Gradient entanglement between the chosen and rejected log-probabilities of one pair (reference §D). */
    public GradientEntanglement entanglement(float[] params, PreferencePair pair) {
        return GradientEntanglement.of(sequenceGradient(params, pair.sequence(0)),
                sequenceGradient(params, pair.sequence(1)));
    }

    private double[] frozenParams(int k) {
        double[][] wide = frozenWide;
        if (wide == null) {
            wide = new double[frozen.length][];
            for (int i = 0; i < frozen.length; i++) {
                wide[i] = GruLanguageModel.widen(frozen[i]);
            }
            frozenWide = wide;
        }
        return wide[k];
    }

    /** The flattened sequences of a batch of groups. */
    private record Layout(List<PromptCompletion> sequences, int[] offsets, double[] scores) {

        static Layout of(List<? extends SequenceGroup> records) {
            List<PromptCompletion> seqs = new ArrayList<>();
            int[] offsets = new int[records.size() + 1];
            List<Double> scores = new ArrayList<>();
            for (int g = 0; g < records.size(); g++) {
                SequenceGroup r = records.get(g);
                for (int i = 0; i < r.size(); i++) {
                    seqs.add(r.sequence(i));
                    scores.add(r.score(i));
                }
                offsets[g + 1] = seqs.size();
            }
            return new Layout(seqs, offsets, scores.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }
}
