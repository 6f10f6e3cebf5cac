package io.concord.core.model;

import io.concord.core.loss.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class LinearClassifierRegularizerTest {

    @Test
    void l2CoversTheWeightsNotTheBiasesAndSlicesAddExactlyTheWholeGradient() {
        LinearClassifier model = new LinearClassifier(5, 3, SoftmaxCrossEntropy.INSTANCE, 0.25);
        float[] params = new float[model.numParams()];
        SplittableRandom r = new SplittableRandom(9);
        for (int p = 0; p < params.length; p++) {
            params[p] = (float) r.nextGaussian();
        }
        float[] whole = new float[params.length];
        double value = model.regularize(params, whole);
        double expected = 0;
        for (int k = 0; k < 15; k++) {
            expected += params[k] * (double) params[k];
            assertThat(whole[k]).isEqualTo((float) (0.25 * params[k]));
        }
        assertThat(value).isCloseTo(0.5 * 0.25 * expected, offset(1e-12));
        for (int b = 15; b < params.length; b++) {
            assertThat(whole[b]).as("bias " + b).isZero();
        }

        float[] sliced = new float[params.length];
        int[] cuts = {0, 4, 11, 16, params.length};
        for (int c = 0; c + 1 < cuts.length; c++) {
            double v = model.regularizeSlice(params, sliced, cuts[c], cuts[c + 1], c == 2);
            if (c == 2) {
                assertThat(v).isEqualTo(value);
            }
        }
        assertThat(sliced).isEqualTo(whole);
    }
}
