package io.concord.core.optim;

import io.concord.core.util.VectorSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adam's SIMD loop against the element-by-element formula written out here, operation by operation in float:
 * bit-identical for every convention, for lengths that are and are not a multiple of the lane count, and for a slice
 * stepped in place (the sharded transport's owner step) against the same slice of a full step.
 */
class AdamLanesTest {

    private static final int N = 1000 + 7;

    @Test
    void theVectorApiIsPresentInTheTestJvm() {
        // the build starts test JVMs with --add-modules=jdk.incubator.vector, so the SIMD loop is what is tested
        assertThat(VectorSupport.available()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "adam-l2", "adamw", "hf"})
    void everyElementEqualsTheScalarFormulaBitForBit(String kind) {
        Adam adam = adam(kind);
        SplittableRandom r = new SplittableRandom(7);
        float[] theta = values(r, N);
        float[] expectedTheta = theta.clone();
        float[] state = new float[2 * N];
        float[] expectedState = new float[2 * N];
        for (long t = 1; t <= 5; t++) {
            float[] g = values(r, N);
            g[3] = 0f;
            g[4] = -0f;
            g[N - 1] = 1e-30f;
            reference(kind, expectedTheta, g.clone(), expectedState, t);
            adam.step(theta, g, state, t);
            assertThat(theta).as("θ after step %d", t).containsExactly(expectedTheta);
            assertThat(state).as("moments after step %d", t).containsExactly(expectedState);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "adamw", "hf"})
    void aSliceSteppedInPlaceEqualsThatSliceOfAFullStep(String kind) {
        Adam adam = adam(kind);
        SplittableRandom r = new SplittableRandom(11);
        float[] full = values(r, N);
        float[] sliced = full.clone();
        float[] fullState = new float[2 * N];
        int lo = 301;
        int length = 517;
        float[] sliceState = new float[2 * length];
        for (long t = 1; t <= 3; t++) {
            float[] g = values(r, N);
            adam.stepSlice(sliced, g.clone(), lo, length, sliceState, t);
            adam.step(full, g, fullState, t);
            assertThat(Arrays.copyOfRange(sliced, lo, lo + length)).containsExactly(
                    Arrays.copyOfRange(full, lo, lo + length));
            assertThat(Arrays.copyOfRange(sliceState, 0, length)).containsExactly(
                    Arrays.copyOfRange(fullState, lo, lo + length));
            assertThat(Arrays.copyOfRange(sliceState, length, 2 * length)).containsExactly(
                    Arrays.copyOfRange(fullState, N + lo, N + lo + length));
        }
        // elements outside the slice are untouched
        float[] untouched = values(new SplittableRandom(11), N);
        assertThat(Arrays.copyOfRange(sliced, 0, lo)).containsExactly(Arrays.copyOfRange(untouched, 0, lo));
        assertThat(Arrays.copyOfRange(sliced, lo + length, N)).containsExactly(
                Arrays.copyOfRange(untouched, lo + length, N));
    }

    /**
     * A model's uniform L2 added inside the step ({@link Optimizer#stepSliceWithL2}) against writing
     * {@code g += c·θ} into the gradient first and stepping: bit-identical for every convention (before Adam's own
     * coupled L2 where it has one), over the whole vector and over a slice in place, with zero and negative-zero
     * gradients; the default (SGD with momentum) too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"adam", "adam-l2", "adamw", "hf", "sgd"})
    void theL2AddedInTheStepEqualsRegularisingFirst(String kind) {
        Optimizer optimizer = kind.equals("sgd") ? new Sgd(0.05, 0.9, 0.0, false) : adam(kind);
        float c = 3e-3f;
        SplittableRandom r = new SplittableRandom(13);
        float[] fused = values(r, N);
        float[] first = fused.clone();
        float[] fusedState = new float[optimizer.stateSize(N)];
        float[] firstState = new float[optimizer.stateSize(N)];
        int lo = 301;
        int length = 517;
        float[] fusedSlice = fused.clone();
        float[] firstSlice = fused.clone();
        float[] fusedSliceState = new float[optimizer.stateSize(length)];
        float[] firstSliceState = new float[optimizer.stateSize(length)];
        for (long t = 1; t <= 4; t++) {
            float[] g = values(r, N);
            g[3] = 0f;
            g[4] = -0f;
            g[lo + 5] = -0f;
            fused[5] = -0f;
            first[5] = -0f;
            float[] regularised = g.clone();
            for (int i = 0; i < N; i++) {
                regularised[i] += c * first[i];
            }
            optimizer.step(first, regularised, firstState, t);
            optimizer.stepSliceWithL2(fused, g.clone(), 0, N, fusedState, t, c);
            assertThat(fused).as("θ after step %d", t).containsExactly(first);
            assertThat(fusedState).as("state after step %d", t).containsExactly(firstState);

            float[] regularisedSlice = g.clone();
            for (int i = lo; i < lo + length; i++) {
                regularisedSlice[i] += c * firstSlice[i];
            }
            optimizer.stepSlice(firstSlice, regularisedSlice, lo, length, firstSliceState, t);
            optimizer.stepSliceWithL2(fusedSlice, g.clone(), lo, length, fusedSliceState, t, c);
            assertThat(fusedSlice).as("sliced θ after step %d", t).containsExactly(firstSlice);
            assertThat(fusedSliceState).as("slice state after step %d", t).containsExactly(firstSliceState);
        }
        assertThat(fused).isNotEqualTo(values(new SplittableRandom(13), N));
    }

    private static Adam adam(String kind) {
        return switch (kind) {
            case "adam" -> new Adam(0.01, 0.9, 0.999, 1e-8, 0.0, false);
            case "adam-l2" -> new Adam(0.01, 0.8, 0.99, 1e-6, 0.05, false);
            case "adamw" -> new Adam(0.01, 0.9, 0.999, 1e-8, 0.1, true);
            case "hf" -> new Adam(0.01, 0.9, 0.999, 1e-6, 0.1, true, Adam.Convention.HF);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** torch.optim.Adam/AdamW and the HF form, in float, in the order the optimizer documents. */
    private static void reference(String kind, float[] theta, float[] g, float[] state, long t) {
        Adam a = adam(kind);
        double lr = 0.01;
        double b1 = kind.equals("adam-l2") ? 0.8 : 0.9;
        double b2 = kind.equals("adam-l2") ? 0.99 : 0.999;
        double eps = kind.equals("adam") || kind.equals("adamw") ? 1e-8 : 1e-6;
        double wd = switch (kind) {
            case "adam" -> 0.0;
            case "adam-l2" -> 0.05;
            default -> 0.1;
        };
        boolean hf = a.convention() == Adam.Convention.HF;
        double bc1 = 1.0 - Math.pow(b1, t);
        double bc2 = 1.0 - Math.pow(b2, t);
        float step = hf ? (float) (lr * Math.sqrt(bc2) / bc1) : (float) (lr / bc1);
        float invSqrtBc2 = hf ? 1.0f : (float) (1.0 / Math.sqrt(bc2));
        float decay = (float) (1.0 - lr * wd);
        float l2 = kind.startsWith("adam") && !kind.equals("adamw") ? (float) wd : 0.0f;
        int n = theta.length;
        for (int i = 0; i < n; i++) {
            float p = theta[i];
            float gi = g[i] + l2 * p;
            if (kind.equals("adamw")) {
                p *= decay;
            }
            float m = (float) b1 * state[i] + (float) (1.0 - b1) * gi;
            float v = (float) b2 * state[n + i] + (float) (1.0 - b2) * gi * gi;
            state[i] = m;
            state[n + i] = v;
            p += -step * m / ((float) Math.sqrt(v) * invSqrtBc2 + (float) eps);
            theta[i] = hf ? p * decay : p;
        }
    }

    private static float[] values(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-4, 3)));
        }
        return v;
    }
}
