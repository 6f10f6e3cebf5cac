package io.concord.core.ultragcn;

import io.concord.core.util.VectorSupport;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The SIMD negative kernel against the scalar reference on identical inputs: same loss and gradients up to float
 * rounding, for the register-resident dimension (4 vectors), a dimension with a scalar tail, a sub-vector dimension,
 * repeated negatives inside one run, and β-weighted and unweighted negatives.
 */
class VectorNegativeKernelTest {

    private static final int USERS = 50;
    private static final int ITEMS = 300;

    @Test
    void theVectorApiIsAvailableInTheTestJvm() {
        assertThat(VectorSupport.available())
                .as("Surefire runs with --add-modules=jdk.incubator.vector").isTrue();
        assertThat(NegativeTermKernel.create(64, USERS, ITEMS, 1, 1, weights(new SplittableRandom(1)), 0))
                .isInstanceOf(VectorNegativeKernel.class);
    }

    @Test
    void agreesWithTheScalarKernel() {
        assumeThat(VectorSupport.available()).isTrue();
        int lanes = VectorNegativeKernel.lanes();
        for (int dim : new int[] {4 * lanes, 4 * lanes + 3, 20, 3}) {
            for (double w4 : new double[] {1.0, 0.0}) {
                compare(dim, w4, 16);
                compare(dim, w4, 1024);
            }
        }
    }

    @Test
    void laneWiseExpAndLog1pMatchTheScalarPolynomials() {
        assumeThat(VectorSupport.available()).isTrue();
        int lanes = VectorNegativeKernel.lanes();
        float[] x = new float[lanes];
        float[] out = new float[lanes];
        for (int i = 0; i <= 20_000; i += lanes) {
            for (int l = 0; l < lanes; l++) {
                x[l] = (i + l) * 0.005f;
            }
            VectorNegativeKernel.expMinusAbs(x, 0, out, 0);
            for (int l = 0; l < lanes; l++) {
                float want = NegativeKernel.expMinus(x[l]);
                assertThat(out[l]).as("exp(-%s)", x[l]).isCloseTo(want,
                        org.assertj.core.data.Offset.offset(4 * Math.ulp(want)));
            }
            for (int l = 0; l < lanes; l++) {
                x[l] = Math.min(1f, (i + l) / 20_000f);
            }
            VectorNegativeKernel.log1pUnit(x, 0, out, 0);
            for (int l = 0; l < lanes; l++) {
                float want = NegativeKernel.log1pUnit(x[l]);
                assertThat(out[l]).as("log1p(%s)", x[l]).isCloseTo(want,
                        org.assertj.core.data.Offset.offset(4 * Math.ulp(want)));
            }
        }
    }

    private static void compare(int dim, double w4, int bucket) {
        SplittableRandom r = new SplittableRandom(dim * 31L + bucket);
        DegreeWeights weights = weights(r);
        int count = 40;
        int negativesPerRow = 60;
        float[] params = new float[(USERS + ITEMS) * dim];
        for (int p = 0; p < params.length; p++) {
            params[p] = (float) (0.4 * r.nextGaussian());
        }
        int[] users = new int[count];
        float[] userRows = new float[count * dim];
        for (int b = 0; b < count; b++) {
            users[b] = r.nextInt(USERS);
            System.arraycopy(params, users[b] * dim, userRows, b * dim, dim);
        }
        int[] negatives = new int[count * negativesPerRow];
        for (int t = 0; t < negatives.length; t++) {
            // a narrow id range for some rows: the same item repeats inside one (bucket, row) run
            negatives[t] = t % 7 == 0 ? r.nextInt(5) : r.nextInt(ITEMS);
        }
        float scale = 300f / negativesPerRow;
        NegativeKernel scalar = new NegativeKernel(dim, USERS, ITEMS, 1e-6, w4, weights, bucket);
        VectorNegativeKernel vector = new VectorNegativeKernel(dim, USERS, ITEMS, 1e-6, w4, weights, bucket);
        float[] gradS = new float[params.length];
        float[] gradV = new float[params.length];
        float[] userGradS = new float[count * dim];
        float[] userGradV = new float[count * dim];
        double lossS = scalar.accumulate(params, gradS, users, count, userRows, userGradS, negatives,
                negativesPerRow, scale);
        double lossV = vector.accumulate(params, gradV, users, count, userRows, userGradV, negatives,
                negativesPerRow, scale);
        assertThat(lossV).as("dim %d", dim).isCloseTo(lossS, org.assertj.core.data.Offset.offset(1e-5 * lossS));
        assertClose(gradV, gradS, "item gradient, dim " + dim);
        assertClose(userGradV, userGradS, "user gradient, dim " + dim);
    }

    private static void assertClose(float[] got, float[] want, String what) {
        double max = 0;
        for (float w : want) {
            max = Math.max(max, Math.abs(w));
        }
        assertThat(max).as(what).isGreaterThan(0);
        for (int p = 0; p < want.length; p++) {
            assertThat((double) got[p]).as("%s [%d]", what, p)
                    .isCloseTo(want[p], org.assertj.core.data.Offset.offset(2e-5 * max));
        }
    }

    private static DegreeWeights weights(SplittableRandom r) {
        int[] ud = new int[USERS];
        int[] id = new int[ITEMS];
        for (int u = 0; u < USERS; u++) {
            ud[u] = 1 + r.nextInt(30);
        }
        for (int i = 0; i < ITEMS; i++) {
            id[i] = r.nextInt(40);
        }
        return DegreeWeights.fromDegrees(ud, id);
    }
}
