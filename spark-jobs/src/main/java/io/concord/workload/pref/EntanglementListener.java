package io.concord.workload.pref;

import io.concord.core.pref.EntanglementSummary;
import io.concord.core.lm.GruLanguageModel;
import io.concord.core.pref.PreferenceModel;
import io.concord.core.pref.GradientEntanglement;
import io.concord.core.lm.PromptCompletion;
import io.concord.core.pref.SequenceGroup;
import io.concord.core.pref.SftLoss;
import io.concord.engine.RoundListener;
import io.concord.engine.RoundSummary;
import io.concord.engine.TrainingState;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Logs the gradient entanglement (reference §D) of a fixed sample of pairs every n rounds and after the last round:
 * per pair the gradients g_w = ∇lp(y_w) and g_l = ∇lp(y_l) over all parameters (two backward passes, on executors),
 * then the means over pairs of ⟨g_w, g_l⟩, cosine, ‖g_w‖, ‖g_l‖, the condition ⟨g_w, g_l⟩/min(‖g_w‖², ‖g_l‖²), the
 * two ratios, and the share of entangled pairs (max ratio &gt; 1) as {@code entangle.*} metrics of the round.
 */
final class EntanglementListener<G extends SequenceGroup> implements RoundListener {

    private final JavaSparkContext sc;
    private final JavaRDD<G> sample;
    private final PreferenceModel<PromptCompletion> model;
    private final int chosen;
    private final int rejected;
    private final int every;
    private final int totalRounds;

    /**
     * @param groups   the fixed sample; sequence {@code chosen} of each group plays y_w, sequence {@code rejected}
     *                 y_l (pairs: 0 and 1; unlearning examples: retain 1 and forget 0)
     */
    EntanglementListener(JavaSparkContext sc, GruLanguageModel lm, List<G> groups, int chosen, int rejected,
                         int every, int totalRounds) {
        this.sc = sc;
        this.sample = sc.parallelize(groups, Math.max(1, Math.min(groups.size(), sc.defaultParallelism()))).cache();
        this.model = new PreferenceModel<>(lm, new SftLoss(SftLoss.Normalization.TOKEN_MEAN), List.of());
        this.chosen = chosen;
        this.rejected = rejected;
        this.every = every;
        this.totalRounds = totalRounds;
    }

    @Override
    public boolean needsStateAfter(int completedRounds) {
        return every > 0 && (completedRounds % every == 0 || completedRounds == totalRounds);
    }

    @Override
    public Decision afterRound(TrainingState state, RoundSummary summary) {
        int completed = summary.round() + 1;
        if (needsStateAfter(completed)) {
            summary.metrics().putAll(measure(state.params()));
        }
        return Decision.CONTINUE;
    }

    Map<String, Double> measure(float[] params) {
        PreferenceModel<PromptCompletion> m = model;
        int w = chosen;
        int l = rejected;
        double[] sums = DistributedSum.of(sc, sample, params, (p, groups) -> {
            EntanglementSummary s = new EntanglementSummary();
            groups.forEach(g -> s.add(GradientEntanglement.of(m.sequenceGradient(p, g.sequence(w)),
                    m.sequenceGradient(p, g.sequence(l)))));
            return s.sums();
        });
        EntanglementSummary s = new EntanglementSummary(sums);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("entangle.inner", s.mean(EntanglementSummary.INNER));
        out.put("entangle.cosine", s.mean(EntanglementSummary.COSINE));
        out.put("entangle.normChosen", s.mean(EntanglementSummary.NORM_CHOSEN));
        out.put("entangle.normRejected", s.mean(EntanglementSummary.NORM_REJECTED));
        out.put("entangle.condition", s.mean(EntanglementSummary.CONDITION));
        out.put("entangle.ratioChosen", s.mean(EntanglementSummary.RATIO_CHOSEN));
        out.put("entangle.ratioRejected", s.mean(EntanglementSummary.RATIO_REJECTED));
        out.put("entangle.share", s.mean(EntanglementSummary.ENTANGLED));
        return out;
    }

    void release() {
        sample.unpersist(false);
    }
}
