package io.concord.core.pref;

import io.concord.core.lm.PromptCompletion;
import io.concord.core.lm.CharVocabulary;
import io.concord.core.lm.GruLanguageModel;
import io.concord.core.model.BatchLoss;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The language model trained through an objective, as a Concord Model: exact end-to-end gradients. */
class PreferenceModelTest {

    private static final GruLanguageModel LM = new GruLanguageModel(7, 5, 1, 0, 1);

    private static float[] params(long seed, double scale) {
        float[] p = new float[LM.numParams()];
        LM.initParams(p, seed);
        for (int i = 0; i < p.length; i++) {
            p[i] *= (float) scale;
        }
        return p;
    }

    private static List<PreferencePair> pairs() {
        return List.of(
                new PreferencePair(new int[] {2, 3}, new int[] {4, 5}, new int[] {6}),
                new PreferencePair(new int[] {5}, new int[] {2, 2, 3}, new int[] {3, 4, 4, 6}),
                new PreferencePair(new int[] {}, new int[] {6, 2}, new int[] {5, 5}));
    }

    private static <R extends SequenceGroup> void assertExactGradient(PreferenceModel<R> model, List<R> batch,
                                                                      float[] params) {
        double[] w = GruLanguageModel.widen(params);
        double[] grad = new double[w.length];
        model.lossAndGradient(w, batch, grad);
        GruLanguageModelTest.assertFiniteDifferences(w, grad,
                theta -> model.lossAndGradient(theta, batch, new double[theta.length]).lossSum());
    }

    @Test
    void dpoIpoSimpoGradientsMatchFiniteDifferences() {
        float[] ref = params(2, 2.0);
        for (String name : new String[] {"dpo", "ipo", "simpo", "rpo"}) {
            PreferenceModel<PreferencePair> model = new PreferenceModel<>(LM,
                    PreferenceLosses.create(Map.of("name", name, "beta", 0.5)), List.of(ref));
            assertExactGradient(model, pairs(), params(3, 2.0));
        }
    }

    @Test
    void inpoUsesTwoFrozenModels() {
        PreferenceModel<PreferencePair> model = new PreferenceModel<>(LM, new InpoLoss(0.1, 0.05),
                List.of(params(4, 2.0), params(5, 2.0)));
        assertExactGradient(model, pairs(), params(6, 2.0));
        assertThatThrownBy(() -> new PreferenceModel<>(LM, new InpoLoss(0.1, 0.05), List.of(params(4, 2.0))))
                .hasMessageContaining("needs 2 frozen parameter vector(s)");
    }

    @Test
    void npoWithRetainKlGradientMatchesFiniteDifferences() {
        List<UnlearningExample> batch = List.of(
                new UnlearningExample(new PromptCompletion(new int[] {2, 3}, new int[] {4, 4, 5}),
                        new PromptCompletion(new int[] {6}, new int[] {2, 3})),
                new UnlearningExample(new PromptCompletion(new int[] {5}, new int[] {6}),
                        new PromptCompletion(new int[] {3, 3, 2}, new int[] {4})));
        PreferenceModel<UnlearningExample> kl = new PreferenceModel<>(LM, new UnlearningLoss(
                UnlearningLoss.ForgetTerm.NPO, UnlearningLoss.RetainTerm.KL, 0.1, 1.0, 1.0), List.of(params(7, 2.0)));
        assertExactGradient(kl, batch, params(8, 2.0));
        PreferenceModel<UnlearningExample> ga = new PreferenceModel<>(LM, new UnlearningLoss(
                UnlearningLoss.ForgetTerm.GRADIENT_ASCENT, UnlearningLoss.RetainTerm.CE, 1.0, 1.0, 1.0), List.of());
        assertExactGradient(ga, batch, params(8, 2.0));
    }

    @Test
    void aftOverRankedResponses() {
        List<RankedResponses> batch = List.of(
                new RankedResponses(new int[] {2, 3}, new int[][] {{4}, {5, 6}, {6, 6, 2}, {3}}, new double[] {1, 0, 1, 0}),
                new RankedResponses(new int[] {4}, new int[][] {{2, 2}, {3}}, new double[] {0, 1}));
        PreferenceModel<RankedResponses> model = new PreferenceModel<>(LM, new AftLoss(AftLoss.Variant.BC, 0.2, false,
                0.3), List.of());
        assertExactGradient(model, batch, params(9, 2.0));
    }

    @Test
    void policyEqualToTheReferenceGivesTheTextbookValues() {
        float[] p = params(10, 2.0);
        PreferenceModel<PreferencePair> dpo = new PreferenceModel<>(LM, new DpoLoss(0.1, 0), List.of(p));
        BatchLoss v = dpo.accumulateGradient(p, pairs(), new float[p.length], SimpleStepContext.of(1, 0));
        // z = 0 for every pair: −log σ(0) = log 2 each
        assertThat(v.lossSum()).isCloseTo(3 * Math.log(2), within(1e-9));
        assertThat(v.weight()).isEqualTo(3.0);
        PreferenceModel<UnlearningExample> npo = new PreferenceModel<>(LM, new UnlearningLoss(
                UnlearningLoss.ForgetTerm.NPO, UnlearningLoss.RetainTerm.KL, 0.1, 1.0, 1.0), List.of(p));
        List<UnlearningExample> one = List.of(new UnlearningExample(new PromptCompletion(new int[] {2}, new int[] {3}),
                new PromptCompletion(new int[] {4}, new int[] {5})));
        // (2/β)·log 2 and a zero KL
        assertThat(npo.accumulateGradient(p, one, new float[p.length], SimpleStepContext.of(1, 0)).lossSum())
                .isCloseTo(20 * Math.log(2), within(1e-9));
    }

    @Test
    void aBatchIsTheSumOfItsParts() {
        float[] ref = params(11, 2.0);
        float[] p = params(12, 2.0);
        PreferenceModel<PreferencePair> model = new PreferenceModel<>(LM, new DpoLoss(0.1, 0), List.of(ref));
        float[] whole = new float[p.length];
        BatchLoss all = model.accumulateGradient(p, pairs(), whole, SimpleStepContext.of(1, 0));
        float[] parts = new float[p.length];
        BatchLoss a = model.accumulateGradient(p, pairs().subList(0, 1), parts, SimpleStepContext.of(1, 0));
        BatchLoss b = model.accumulateGradient(p, pairs().subList(1, 3), parts, SimpleStepContext.of(1, 0));
        assertThat(all.lossSum()).isCloseTo(a.lossSum() + b.lossSum(), within(1e-12));
        assertThat(all.weight()).isEqualTo(a.weight() + b.weight());
        for (int i = 0; i < p.length; i++) {
            assertThat(whole[i]).isCloseTo(parts[i], within(1e-6f));
        }
    }

    @Test
    void sequenceGradientsFeedTheEntanglementMetric() {
        float[] p = params(13, 2.0);
        PreferenceModel<PreferencePair> model = new PreferenceModel<>(LM, new SimpoLoss(2, 0.25, 0, 0), List.of());
        PreferencePair pair = pairs().get(1);
        double[] gw = model.sequenceGradient(p, pair.sequence(0));
        GruLanguageModelTest.assertFiniteDifferences(GruLanguageModel.widen(p), gw,
                theta -> LM.forward(theta, List.of(pair.sequence(0)), null, false).logProbs()[0]);
        GradientEntanglement e = model.entanglement(p, pair);
        assertThat(e.squaredChosen()).isCloseTo(GruLanguageModelTest.dot(gw, gw), within(1e-12));
        assertThat(Math.abs(e.cosine())).isLessThanOrEqualTo(1.0);
    }

    @Test
    void survivesJavaSerialisationAsATaskClosureWould() throws Exception {
        float[] ref = params(14, 2.0);
        PreferenceModel<PreferencePair> model = new PreferenceModel<>(LM, new DpoLoss(0.1, 0), List.of(ref));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        @SuppressWarnings("unchecked")
        PreferenceModel<PreferencePair> copy = (PreferenceModel<PreferencePair>) new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray())).readObject();
        float[] p = params(15, 2.0);
        assertThat(copy.accumulateGradient(p, pairs(), new float[p.length], SimpleStepContext.of(1, 0)).lossSum())
                .isEqualTo(model.accumulateGradient(p, pairs(), new float[p.length], SimpleStepContext.of(1, 0))
                        .lossSum());
    }

    @Test
    void implicitRewardStatistics() {
        LogProbBatch b = LogProbBatch.pairs(new double[] {-10, -5}, new double[] {-12, -4}, new int[] {4, 5},
                new int[] {5, 2}, new double[] {-11, -6}, new double[] {-11.5, -5});
        PairRewards r = PairRewards.of(b, 0.1, false);
        // Δ_w = 1, 1; Δ_l = −0.5, 1: rewards 0.1, 0.1 vs −0.05, 0.1 (a tie is not a win)
        assertThat(r.accuracy()).isEqualTo(0.5);
        assertThat(r.meanChosen()).isCloseTo(0.1, within(1e-12));
        assertThat(r.meanMargin()).isCloseTo(0.075, within(1e-12));
        // reference-free: ā_w = −2.5, −1; ā_l = −2.4, −2
        PairRewards free = PairRewards.of(b, 2.0, true);
        assertThat(free.accuracy()).isEqualTo(0.5);
        assertThat(free.merge(PairRewards.of(b, 2.0, true)).sums()[PairRewards.COUNT]).isEqualTo(4.0);
    }

    @Test
    void modelFromConfig() {
        CharVocabulary v = CharVocabulary.build(List.of("abc"), 10, 1);
        GruLanguageModel lm = GruLanguageModel.fromConfig("model", Map.of("hidden", 8, "layers", 2), v);
        assertThat(lm.vocabSize()).isEqualTo(6);
        assertThat(lm.layers()).isEqualTo(2);
        assertThatThrownBy(() -> GruLanguageModel.fromConfig("model", Map.of("hidden", 8.5), v))
                .hasMessageStartingWith("model.hidden: 8.5 is not allowed");
        assertThatThrownBy(() -> GruLanguageModel.fromConfig("model", Map.of("hiden", 8), v))
                .hasMessageStartingWith("model.hiden: unknown key");
    }

    @Test
    void sftThenDpoLearnOnATinyTask() {
        GruLanguageModel lm = new GruLanguageModel(7, 16, 1, 0, 1);
        List<PromptCompletion> sft = List.of(
                new PromptCompletion(new int[] {2}, new int[] {3, 4, 5}),
                new PromptCompletion(new int[] {3}, new int[] {4, 5, 6}),
                new PromptCompletion(new int[] {4}, new int[] {5, 6, 2}));
        PreferenceModel<PromptCompletion> sftModel = new PreferenceModel<>(lm,
                new SftLoss(SftLoss.Normalization.TOKEN_MEAN), List.of());
        float[] p = new float[lm.numParams()];
        sftModel.initParams(p, 5);
        double first = train(sftModel, sft, p, 150, 0.02);
        double last = sftModel.accumulateGradient(p, sft, new float[p.length], SimpleStepContext.of(1, 0)).meanLoss();
        assertThat(last).isLessThan(0.1 * first);

        // DPO from the SFT model: prefer ending with 6 over ending with 2 after prompt 4
        List<PreferencePair> prefs = List.of(new PreferencePair(new int[] {4}, new int[] {5, 6, 6},
                new int[] {5, 6, 2}));
        PreferenceModel<PreferencePair> dpo = new PreferenceModel<>(lm, new DpoLoss(0.5, 0), List.of(p.clone()));
        float[] policy = p.clone();
        train(dpo, prefs, policy, 60, 0.01);
        LogProbBatch after = dpo.logProbBatch(policy, prefs);
        double margin = (after.policy(0) - after.frozen(0, 0)) - (after.policy(1) - after.frozen(0, 1));
        assertThat(margin).isGreaterThan(2.0);
    }

    private static <R extends SequenceGroup> double train(PreferenceModel<R> model, List<R> data, float[] p, int steps,
                                                          double lr) {
        Adam adam = Adam.adam(lr);
        float[] state = new float[adam.stateSize(p.length)];
        adam.initialiseState(state, p);
        double first = Double.NaN;
        for (int t = 1; t <= steps; t++) {
            float[] g = new float[p.length];
            BatchLoss l = model.accumulateGradient(p, new ArrayList<>(data), g, SimpleStepContext.of(1, t));
            if (t == 1) {
                first = l.meanLoss();
            }
            for (int i = 0; i < g.length; i++) {
                g[i] /= (float) l.weight();
            }
            adam.step(p, g, state, t);
        }
        return first;
    }
}
