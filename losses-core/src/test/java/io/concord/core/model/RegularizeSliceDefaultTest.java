package io.concord.core.model;

import io.concord.core.loss.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Model#regularizeSlice}'s default for a model that overrides only {@link Model#regularize}: it adds exactly
 * what the whole regulariser adds inside the range and writes nothing outside it (the allreduce transport's owners
 * read their slices of a peer's gradient meanwhile); {@link Model#hasRegularizer} tells the models apart.
 */
class RegularizeSliceDefaultTest {

    /** No regulariser: {@code Model}'s defaults. */
    private static class Plain implements Model<LabeledVector> {
        @Override
        public int numParams() {
            return 40;
        }

        @Override
        public void initParams(float[] params, long seed) {
        }

        @Override
        public BatchLoss accumulateGradient(float[] params, List<LabeledVector> batch, float[] grad,
                                            StepContext ctx) {
            return BatchLoss.ZERO;
        }
    }

    /** γ·½‖θ‖² through {@code regularize} only. */
    private static final class WholeL2 extends Plain {
        @Override
        public double regularize(float[] params, float[] grad) {
            double sum = 0;
            for (int p = 0; p < params.length; p++) {
                grad[p] += 0.3f * params[p];
                sum += params[p] * (double) params[p];
            }
            return 0.15 * sum;
        }
    }

    @Test
    void theDefaultSliceAddsTheWholeRegularisersGradientInItsRangeAndNothingElsewhere() {
        Model<LabeledVector> model = new WholeL2();
        assertThat(model.hasRegularizer()).isTrue();
        SplittableRandom r = new SplittableRandom(3);
        float[] params = new float[40];
        float[] grad = new float[40];
        for (int p = 0; p < 40; p++) {
            params[p] = (float) r.nextGaussian();
            grad[p] = (float) r.nextGaussian();
        }
        float[] whole = grad.clone();
        double value = model.regularize(params, whole);

        float[] sliced = grad.clone();
        double v = model.regularizeSlice(params, sliced, 9, 23, true);
        assertThat(v).isEqualTo(value);
        for (int p = 0; p < 40; p++) {
            assertThat(sliced[p]).as("element %d", p).isEqualTo(p >= 9 && p < 23 ? whole[p] : grad[p]);
        }
        int[] cuts = {0, 9, 23, 31, 40};
        float[] byParts = grad.clone();
        for (int c = 0; c + 1 < cuts.length; c++) {
            model.regularizeSlice(params, byParts, cuts[c], cuts[c + 1], false);
        }
        assertThat(byParts).containsExactly(whole);
    }

    @Test
    void modelsSayWhetherTheyRegularize() {
        assertThat(new Plain().hasRegularizer()).isFalse();
        float[] grad = {1f, 2f};
        assertThat(new Plain().regularizeSlice(new float[] {5f, 6f}, grad, 0, 1, true)).isZero();
        assertThat(grad).containsExactly(1f, 2f);
        assertThat(new LinearClassifier(5, 3, SoftmaxCrossEntropy.INSTANCE, 0.0).hasRegularizer()).isFalse();
        assertThat(new LinearClassifier(5, 3, SoftmaxCrossEntropy.INSTANCE, 0.25).hasRegularizer()).isTrue();
    }
}
