package io.concord.core.optim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** One hand-computed step per optimizer (the reference's [derived] vectors where it has them). */
class OptimizerStepTest {

    private static float[] f(double... v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private static void assertClose(float[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("index %d", i).isCloseTo(expected[i], within(2e-6));
        }
    }

    @Test
    void sgdWithMomentum() {
        Sgd sgd = new Sgd(0.1, 0.9, 0.0, false);
        float[] theta = f(1, -2);
        float[] state = new float[sgd.stateSize(2)];
        sgd.step(theta, f(0.5, -1), state, 1);
        assertClose(theta, 0.95, -1.9);
        sgd.step(theta, f(0.5, -1), state, 2);
        assertClose(theta, 0.95 - 0.1 * 1.9 * 0.5, -1.9 + 0.1 * 1.9);
    }

    @Test
    void adamWTorchConvention() {
        Adam adamW = Adam.adamW(1e-3);
        float[] theta = f(1, -2);
        float[] state = new float[adamW.stateSize(2)];
        adamW.step(theta, f(0.5, -1e-3), state, 1);
        assertClose(theta, 0.998990, -1.998980);
    }

    @Test
    void adamWHfConventionPutsEpsOutsideTheBiasCorrectionAndDecaysAfter() {
        double lr = 1e-3;
        double wd = 0.1;
        Adam hf = new Adam(lr, 0.9, 0.999, 1e-6, wd, true, Adam.Convention.HF);
        float[] theta = f(1, -2);
        float[] g = f(0.5, -1e-3);
        float[] state = new float[4];
        hf.step(theta, g, state, 1);
        double stepSize = lr * Math.sqrt(1 - 0.999) / (1 - 0.9);
        double[] expected = new double[2];
        double[] start = {1, -2};
        for (int i = 0; i < 2; i++) {
            double m = 0.1 * g[i];
            double v = 0.001 * g[i] * g[i];
            expected[i] = (start[i] - stepSize * m / (Math.sqrt(v) + 1e-6)) * (1 - lr * wd);
        }
        assertClose(theta, expected);
        assertThat((double) theta[1]).as("differs from the torch convention").isNotCloseTo(-1.998980,
                within(1e-5));
        assertThatThrownBy(() -> new Adam(lr, 0.9, 0.999, 1e-6, wd, false, Adam.Convention.HF))
                .hasMessageStartingWith("convention: ");
    }

    @Test
    void lion() {
        float[] g = f(0.3, -0.1, 0);
        Lion noDecay = new Lion(0.1, 0.9, 0.99, 0.0, Lion.Direction.SIGN);
        float[] theta = f(1, -2, 0.5);
        float[] m = new float[3];
        noDecay.step(theta, g, m, 1);
        assertClose(theta, 0.9, -1.9, 0.5);
        assertClose(m, 0.003, -0.001, 0);
        Lion decay = new Lion(0.1, 0.9, 0.99, 1.0, Lion.Direction.SIGN);
        theta = f(1, -2, 0.5);
        decay.step(theta, g, new float[3], 1);
        assertClose(theta, 0.8, -1.7, 0.45);
        assertThat(decay.bound(theta).norm()).isCloseTo(1.7, within(1e-6));
        assertThat(decay.bound(theta).radius()).isEqualTo(1.0);
    }

    @Test
    void sophiaG() {
        SophiaG sophia = new SophiaG(0.1, 0.965, 0.99, 0.04, 0.0, 10, 10);
        float[] theta = f(1, 1, 1);
        float[] state = f(0, 0, 0, 0.5, 0, 2);
        sophia.step(theta, f(1, -1, 0.01), state, 1);
        assertClose(new float[] {state[0], state[1], state[2]}, 0.035, -0.035, 0.00035);
        assertClose(theta, 0.9825, 1.1, 0.999956);
        assertThat(sophia.wantsCurvature(9)).isFalse();
        assertThat(sophia.wantsCurvature(10)).isTrue();
        sophia.foldCurvature(f(2, -1, 0), state);
        assertClose(new float[] {state[3], state[4], state[5]}, 0.99 * 0.5 + 0.01 * 4, 0.01, 0.99 * 2);
    }

    @Test
    void sophiaH() {
        SophiaH sophia = new SophiaH(0.1, 0.9, 0.99, 10.0, 0.0, 10);
        float[] theta = f(1, 1, 1);
        float[] state = f(0, 0, 0, 0.5, -3, 2);
        sophia.step(theta, f(1, -1, 0.01), state, 1);
        // m = 0.1·g; ratio = min(|m|/(10·relu(h) + 1e-12), 1); step lr/(1 − 0.9) = 1.
        assertClose(theta, 1 - 0.1 / 5.0, 2.0, 1 - 0.001 / 20.0);
        sophia.foldCurvature(f(1, 1, 1), state);
        assertClose(new float[] {state[3], state[4], state[5]}, 0.99 * 0.5 + 0.01, 0.99 * -3 + 0.01,
                0.99 * 2 + 0.01);
    }

    @Test
    void firaNormGrowthLimiter() {
        double lim = Fira.limiter(2.0, 1.0);
        assertThat(lim).isCloseTo(1.980198, within(1e-6));
        assertThat(2.0 / lim).isCloseTo(1.01, within(1e-7));
        assertThat(Fira.limiter(1.005, 1.0)).as("growth under 1% is not limited").isEqualTo(1.0);
    }

    @Test
    void frugalInactiveTensorGetsSignSgd() {
        Frugal frugal = new Frugal(0.1, 0.9, 0.999, 1e-8, 0.0, 0.0, 200, Frugal.Projection.BLOCK,
                Frugal.InactiveRule.SIGN_SGD, 1.0, 1.0, true, 0, List.of(new MatrixBlock(0, 1, 2)));
        float[] theta = f(1, -1);
        frugal.step(theta, f(0.2, 0), new float[frugal.stateSize(2)], 1);
        assertClose(theta, 0.9, -1.0);
    }

    @Test
    void frugalRandpermSplitsCoordinatesBetweenAdamAndSignSgd() {
        Frugal frugal = new Frugal(0.1, 0.9, 0.999, 1e-8, 0.0, 0.5, 200, Frugal.Projection.RANDPERM,
                Frugal.InactiveRule.SIGN_SGD, 0.5, 1.0, true, 42, List.of(new MatrixBlock(0, 2, 4)));
        float[] theta = new float[8];
        float[] g = f(0.2, -0.4, 0.1, 0.3, -0.2, 0.5, 0.05, -0.3);
        float[] state = new float[frugal.stateSize(8)];
        frugal.step(theta, g, state, 1);
        // 2×4 → left side, rank round(2·0.5) = 1: one whole row is state-full (Adam: −lr·g/(|g| + eps) at t = 1),
        // the other gets −lr·0.5·sign(g).
        int activeRow = state[0] == 1.0f ? 0 : 1;
        assertThat(state[activeRow]).isEqualTo(1.0f);
        assertThat(state[1 - activeRow]).isEqualTo(0.0f);
        for (int j = 0; j < 8; j++) {
            boolean active = j / 4 == activeRow;
            double expected = active ? -0.1 * g[j] / (Math.abs(g[j]) + 1e-8) : -0.05 * Math.signum(g[j]);
            assertThat((double) theta[j]).as("coordinate %d", j).isCloseTo(expected, within(2e-7));
        }
    }

    @Test
    void normalizedGd() {
        NormalizedGd byNorm = new NormalizedGd(0.5, NormalizedGd.Normalization.GRADIENT_NORM);
        float[] theta = f(1, 1);
        byNorm.step(theta, f(3, 4), new float[0], 1);
        assertClose(theta, 1 - 0.3, 1 - 0.4);
        NormalizedGd byLoss = new NormalizedGd(0.5, NormalizedGd.Normalization.LOSS);
        theta = f(1, 1);
        byLoss.step(theta, f(3, 4), new float[0], 1, 2.0);
        assertClose(theta, 1 - 0.75, 1 - 1.0);
        assertThatThrownBy(() -> byLoss.step(f(1), f(1), new float[0], 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void perpGradProjectsAndRescales() {
        PerpGrad perp = new PerpGrad(Sgd.plain(1.0), 1e-30, null);
        float[] theta = f(1, 0);
        perp.step(theta, f(1, 1), new float[0], 1);
        assertClose(theta, 1.0, -1.414214);
        PerpGrad segmented = new PerpGrad(Sgd.plain(1.0), 1e-30, new int[] {0, 2});
        theta = f(1, 0, 5);
        segmented.step(theta, f(1, 1, 2), new float[0], 1);
        assertClose(theta, 1.0, -1.414214, 3.0);
    }
}
