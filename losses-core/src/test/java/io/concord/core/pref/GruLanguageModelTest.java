package io.concord.core.pref;

import io.concord.core.lm.PromptCompletion;
import io.concord.core.lm.GruLanguageModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The hand-written GRU language model: forward against a step-by-step path, exact backward by finite differences. */
class GruLanguageModelTest {

    private static final GruLanguageModel LM = new GruLanguageModel(6, 4, 2, 0, 1);

    private static float[] params(long seed, double scale) {
        float[] p = new float[LM.numParams()];
        LM.initParams(p, seed);
        for (int i = 0; i < p.length; i++) {
            p[i] *= (float) scale;
        }
        return p;
    }

    private static List<PromptCompletion> sequences() {
        return List.of(
                new PromptCompletion(new int[] {2, 3}, new int[] {4, 5, 2}),
                new PromptCompletion(new int[] {}, new int[] {3}),
                new PromptCompletion(new int[] {5, 5, 4, 3, 2}, new int[] {2, 2}),
                new PromptCompletion(new int[] {4}, new int[] {}),
                new PromptCompletion(new int[] {3, 2, 4}, new int[] {5, 4, 3, 2, 5, 4}));
    }

    @Test
    void parameterCountFollowsTheLayout() {
        // layer 0: W 6×12, b 12, U 4×12, c 12; layer 1: W 4×12, b 12, U 4×12, c 12; output 4×6 + 6
        assertThat(LM.numParams()).isEqualTo(72 + 12 + 48 + 12 + 48 + 12 + 48 + 12 + 24 + 6);
    }

    @Test
    void logProbIsTheSumOfStepwiseNextTokenLogProbsOverCompletionAndEos() {
        float[] p = params(3, 3.0);
        List<PromptCompletion> seqs = sequences();
        double[] batched = LM.logProbs(p, seqs);
        for (int i = 0; i < seqs.size(); i++) {
            PromptCompletion s = seqs.get(i);
            int[] all = new int[s.prompt().length + s.completion().length];
            System.arraycopy(s.prompt(), 0, all, 0, s.prompt().length);
            System.arraycopy(s.completion(), 0, all, s.prompt().length, s.completion().length);
            double expected = 0.0;
            for (int t = s.prompt().length; t <= all.length; t++) {
                int[] prefix = java.util.Arrays.copyOf(all, t);
                int target = t < all.length ? all[t] : LM.eos();
                expected += LM.nextTokenLogProbs(p, prefix)[target];
            }
            assertThat(batched[i]).as("sequence %d", i).isCloseTo(expected, within(1e-10));
            // and the same alone as in a batch
            assertThat(LM.logProbs(p, List.of(s))[0]).isCloseTo(batched[i], within(1e-12));
        }
        int[] tokens = LM.forward(GruLanguageModel.widen(p), seqs, null, false).completionTokens();
        assertThat(tokens).containsExactly(4, 2, 3, 1, 7);
    }

    @Test
    void nextTokenDistributionsAreNormalised() {
        double[] lp = LM.nextTokenLogProbs(params(4, 2.0), new int[] {2, 3, 4});
        double s = 0.0;
        for (double v : lp) {
            s += Math.exp(v);
        }
        assertThat(s).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void backwardOfWeightedLogProbsMatchesFiniteDifferences() {
        double[] w = GruLanguageModel.widen(params(5, 2.5));
        List<PromptCompletion> seqs = sequences();
        double[] weights = {0.7, -1.3, 0.4, 2.0, -0.5};
        double[] grad = new double[w.length];
        LM.forward(w, seqs, null, true).backward(weights, null, null, grad);
        assertFiniteDifferences(w, grad, theta -> dot(weights, LM.forward(theta, seqs, null, false).logProbs()));
    }

    @Test
    void backwardOfTheKlTermMatchesFiniteDifferences() {
        double[] w = GruLanguageModel.widen(params(6, 2.0));
        double[] ref = GruLanguageModel.widen(params(7, 2.0));
        List<PromptCompletion> seqs = sequences();
        boolean[] full = {true, false, true, false, true};
        double[] kl = {0.5, 0.0, 1.5, 0.0, 1.0};
        double[] weights = {0.3, 0.0, -0.2, 0.0, 0.1};
        GruLanguageModel.Pass refPass = LM.forward(ref, seqs, full, false);
        double[] grad = new double[w.length];
        GruLanguageModel.Pass pass = LM.forward(w, seqs, full, true);
        assertThat(pass.klTo(refPass, kl)).isPositive();
        assertThat(LM.forward(ref, seqs, full, true).klTo(refPass, kl)).isCloseTo(0.0, within(1e-15));
        pass.backward(weights, refPass, kl, grad);
        assertFiniteDifferences(w, grad, theta -> {
            GruLanguageModel.Pass p = LM.forward(theta, seqs, full, false);
            return dot(weights, p.logProbs()) + p.klTo(refPass, kl);
        });
    }

    @Test
    void klEqualsTheDirectSumOverPositions() {
        float[] a = params(8, 2.0);
        float[] b = params(9, 2.0);
        PromptCompletion s = new PromptCompletion(new int[] {2, 3}, new int[] {4});
        boolean[] full = {true};
        double kl = LM.forward(GruLanguageModel.widen(a), List.of(s), full, false)
                .klTo(LM.forward(GruLanguageModel.widen(b), List.of(s), full, false), new double[] {2.0});
        int[] all = {2, 3, 4};
        double expected = 0.0;
        for (int t = 0; t <= all.length; t++) {
            double[] pa = LM.nextTokenLogProbs(a, java.util.Arrays.copyOf(all, t));
            double[] pb = LM.nextTokenLogProbs(b, java.util.Arrays.copyOf(all, t));
            for (int j = 0; j < pa.length; j++) {
                expected += Math.exp(pb[j]) * (pb[j] - pa[j]);
            }
        }
        assertThat(kl).isCloseTo(2.0 * expected / 4, within(1e-12));
    }

    @Test
    void samplingIsDeterministicAndGreedyFollowsTheArgmax() {
        float[] p = params(10, 4.0);
        int[] prompt = {2, 3};
        int[][] a = LM.sample(p, prompt, 5, 1.0, 12, new SplittableRandom(42));
        int[][] b = LM.sample(p, prompt, 5, 1.0, 12, new SplittableRandom(42));
        assertThat(a).isDeepEqualTo(b);
        int[][] greedy = LM.sample(p, prompt, 2, 0.0, 12, new SplittableRandom(1));
        assertThat(greedy[0]).containsExactly(greedy[1]);
        int[] prefix = prompt.clone();
        for (int t = 0; t < greedy[0].length; t++) {
            double[] lp = LM.nextTokenLogProbs(p, prefix);
            int best = 0;
            for (int j = 1; j < lp.length; j++) {
                if (lp[j] > lp[best]) {
                    best = j;
                }
            }
            assertThat(greedy[0][t]).isEqualTo(best);
            prefix = java.util.Arrays.copyOf(prefix, prefix.length + 1);
            prefix[prefix.length - 1] = best;
        }
        for (int[] s : a) {
            assertThat(s.length).isLessThanOrEqualTo(12);
            for (int tok : s) {
                assertThat(tok).isNotEqualTo(LM.eos());
            }
        }
    }

    @Test
    void temperatureSamplesFollowTheModelDistribution() {
        float[] p = params(11, 3.0);
        int[] prompt = {4};
        int n = 4000;
        int[][] s = LM.sample(p, prompt, n, 1.0, 1, new SplittableRandom(7));
        double[] lp = LM.nextTokenLogProbs(p, prompt);
        int[] counts = new int[LM.vocabSize()];
        int ended = 0;
        for (int[] x : s) {
            if (x.length == 0) {
                ended++;
            } else {
                counts[x[0]]++;
            }
        }
        counts[LM.eos()] = ended;
        for (int j = 0; j < counts.length; j++) {
            double expected = n * Math.exp(lp[j]);
            // 5 standard deviations of a binomial count
            assertThat((double) counts[j]).as("token %d", j)
                    .isCloseTo(expected, within(5 * Math.sqrt(expected + 1) + 1));
        }
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> LM.logProbs(params(1, 1), List.of(new PromptCompletion(new int[] {9},
                new int[] {1})))).hasMessageContaining("sequence 0 prompt token id 9");
        assertThatThrownBy(() -> new GruLanguageModel(6, 0, 1, 0, 1)).hasMessageStartingWith("model.hidden");
        assertThatThrownBy(() -> LM.logProbs(new float[3], List.of())).hasMessageContaining("length 3");
    }

    static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static void assertFiniteDifferences(double[] w, double[] grad,
                                        java.util.function.ToDoubleFunction<double[]> f) {
        double h = 1e-5;
        double maxAbs = 0.0;
        for (double g : grad) {
            maxAbs = Math.max(maxAbs, Math.abs(g));
        }
        assertThat(maxAbs).isPositive();
        for (int i = 0; i < w.length; i++) {
            double[] plus = w.clone();
            double[] minus = w.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
            assertThat(grad[i]).as("parameter %d", i).isCloseTo(numeric, within(1e-7 + 1e-6 * Math.abs(numeric)));
        }
    }
}
