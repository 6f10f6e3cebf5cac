package io.concord.core.optim;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Optimizer#stepSlicePart}: a slice stepped part by part (the sharded transport's fused owner step, parts of
 * any length and alignment) equals the slice stepped at once, bit for bit, for every element-wise optimizer, with
 * Adam's in-place override and the default's copy of the state.
 */
class SlicePartStepTest {

    private static final int N = 3001;
    private static final int LO = 137;
    private static final int LENGTH = 2411;

    @Test
    void aSliceSteppedPartByPartEqualsTheSliceSteppedAtOnce() {
        List<Optimizer> optimizers = List.of(
                new Adam(0.01, 0.9, 0.999, 1e-8, 0.0, false),
                new Adam(0.01, 0.9, 0.999, 1e-8, 0.01, true),
                new Adam(0.01, 0.9, 0.999, 1e-8, 0.05, false),
                new Sgd(0.1, 0.9, 0.01, true),
                Sgd.plain(0.1),
                new Lion(1e-3, 0.9, 0.99, 0.1, Lion.Direction.SIGN));
        for (Optimizer optimizer : optimizers) {
            assertThat(optimizer.elementWise()).as(optimizer.name()).isTrue();
            SplittableRandom r = new SplittableRandom(5);
            float[] whole = values(r, N);
            float[] parts = whole.clone();
            float[] wholeState = new float[optimizer.stateSize(LENGTH)];
            float[] partState = new float[optimizer.stateSize(LENGTH)];
            // cuts that are and are not multiples of any lane count, one part of a single element
            int[] cuts = {0, 16, 17, 530, 1024, 1999, LENGTH};
            for (long t = 1; t <= 4; t++) {
                float[] g = values(r, N);
                optimizer.stepSlice(whole, g.clone(), LO, LENGTH, wholeState, t);
                float[] gp = g.clone();
                for (int c = 0; c + 1 < cuts.length; c++) {
                    optimizer.stepSlicePart(parts, gp, LO, LENGTH, cuts[c], cuts[c + 1] - cuts[c], partState, t);
                }
                assertThat(parts).as("%s θ after step %d", optimizer.name(), t).containsExactly(whole);
                assertThat(partState).as("%s state after step %d", optimizer.name(), t)
                        .containsExactly(wholeState);
            }
            float[] untouched = values(new SplittableRandom(5), N);
            assertThat(Arrays.copyOfRange(parts, 0, LO)).containsExactly(Arrays.copyOfRange(untouched, 0, LO));
            assertThat(Arrays.copyOfRange(parts, LO + LENGTH, N))
                    .containsExactly(Arrays.copyOfRange(untouched, LO + LENGTH, N));
        }
    }

    private static float[] values(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
