package io.concord.workload.pref;

import io.concord.core.lm.GruLanguageModel;
import io.concord.core.pref.LogProbBatch;
import io.concord.core.pref.PairRewards;
import io.concord.core.pref.PreferenceModel;
import io.concord.core.pref.PreferencePair;
import io.concord.core.pref.SftLoss;
import io.concord.core.pref.DpoLoss;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Implicit-reward preference accuracy on held-out pairs, on executors (TRL's {@code rewards/accuracies}):
 * <ul>
 *   <li>{@code pairs.accuracy}, {@code pairs.margin}: with the training loss's own implicit reward — β·(lp − lpr) for
 *       reference-based losses, β·lp/|y| for reference-free ones (SimPO, AFT);</li>
 *   <li>{@code pairs.accuracyLenNorm}: by the length-normalised log-likelihood lp/|y| (needs no reference);</li>
 *   <li>{@code pairs.accuracyRef}: by lp − lpr, when a reference is known (the DPO reward, comparable across
 *       losses);</li>
 *   <li>{@code pairs.logpChosen}, {@code pairs.logpRejected}: mean per-token log-likelihoods.</li>
 * </ul>
 * Ties count as wrong, so a policy equal to its reference scores 0 on the reference-based accuracies.
 */
final class PairEvaluator implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 32;

    private final PreferenceModel<PreferencePair> model;
    private final boolean hasReference;
    private final boolean referenceFree;
    private final double beta;

    /**
     * @param reference     the reference parameters, or null
     * @param referenceFree whether the training loss's implicit reward is lp/|y| rather than lp − lpr
     * @param beta          the loss's β (scales margins only)
     */
    PairEvaluator(GruLanguageModel lm, float[] reference, boolean referenceFree, double beta) {
        this.hasReference = reference != null;
        this.model = hasReference ? new PreferenceModel<>(lm, new DpoLoss(0.1, 0.0), List.of(reference))
                : new PreferenceModel<>(lm, new SftLoss(SftLoss.Normalization.TOKEN_MEAN), List.of());
        this.referenceFree = referenceFree;
        this.beta = beta;
    }

    Map<String, Double> evaluate(JavaSparkContext sc, JavaRDD<PreferencePair> pairs, float[] params) {
        double[] s = DistributedSum.of(sc, pairs, params, this::sums);
        Map<String, Double> out = new LinkedHashMap<>();
        double n = s[0];
        out.put("pairs.accuracy", s[1] / n);
        out.put("pairs.margin", s[2] / n);
        out.put("pairs.accuracyLenNorm", s[3] / n);
        if (hasReference) {
            out.put("pairs.accuracyRef", s[4] / n);
        }
        out.put("pairs.logpChosen", s[5] / n);
        out.put("pairs.logpRejected", s[6] / n);
        return out;
    }

    /** [pairs, native correct, native margin sum, len-norm correct, ref correct, Σ chosen mean lp, Σ rejected]. */
    double[] sums(float[] params, List<PreferencePair> pairs) {
        double[] s = new double[7];
        for (List<PreferencePair> chunk : DistributedSum.chunks(pairs, CHUNK)) {
            LogProbBatch b = model.logProbBatch(params, chunk);
            PairRewards rewards = PairRewards.of(b, beta, referenceFree || !hasReference);
            s[0] += rewards.sums()[PairRewards.COUNT];
            s[1] += rewards.sums()[PairRewards.CORRECT];
            s[2] += rewards.sums()[PairRewards.CHOSEN] - rewards.sums()[PairRewards.REJECTED];
            for (int g = 0; g < b.groups(); g++) {
                int w = b.groupStart(g);
                int l = w + 1;
                s[3] += b.policyMean(w) > b.policyMean(l) ? 1 : 0;
                if (hasReference) {
                    s[4] += b.policy(w) - b.frozen(0, w) > b.policy(l) - b.frozen(0, l) ? 1 : 0;
                }
                s[5] += b.policyMean(w);
                s[6] += b.policyMean(l);
            }
        }
        return s;
    }
}
