package io.concord.core.optim;

import io.concord.core.model.LabeledVector;
import io.concord.core.model.LinearClassifier;
import io.concord.core.model.SimpleStepContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The model-side curvature inputs of Sophia against the exact Hessian of the proving-ground classifier. */
class CurvatureTest {

    private final LinearClassifier model = ConvexProblems.model();
    private final LinearSoftmaxCurvature curvature = new LinearSoftmaxCurvature(model);
    private final List<LabeledVector> data = ConvexProblems.blobs(3, 6);

    private float[] params() {
        float[] p = new float[model.numParams()];
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (0.3 * r.nextGaussian());
        }
        return p;
    }

    private float[] gradient(float[] params) {
        float[] g = new float[params.length];
        model.accumulateGradient(params, data, g, SimpleStepContext.of(0, 0));
        return g;
    }

    private double[] exactHessianDiagonal(float[] params, List<LabeledVector> batch) {
        int n = params.length;
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            float[] e = new float[n];
            e[i] = 1;
            float[] hv = new float[n];
            curvature.accumulateHessianVectorProduct(params, batch, e, hv, SimpleStepContext.of(0, 0));
            diag[i] = hv[i];
        }
        return diag;
    }

    @Test
    void hessianVectorProductMatchesFiniteDifferencesOfTheGradient() {
        float[] params = params();
        int n = params.length;
        float[] v = Curvature.hutchinsonProbe(1, 1, n);
        float[] hv = new float[n];
        curvature.accumulateHessianVectorProduct(params, data, v, hv, SimpleStepContext.of(0, 0));
        double h = 1e-2;
        float[] plus = params.clone();
        float[] minus = params.clone();
        for (int i = 0; i < n; i++) {
            plus[i] += (float) (h * v[i]);
            minus[i] -= (float) (h * v[i]);
        }
        float[] gPlus = gradient(plus);
        float[] gMinus = gradient(minus);
        for (int i = 0; i < n; i++) {
            double fd = (gPlus[i] - gMinus[i]) / (2 * h);
            assertThat((double) hv[i]).as("H·v[%d]", i).isCloseTo(fd, within(2e-3 * (1 + Math.abs(fd))));
        }
    }

    @Test
    void gaussNewtonBartlettAndHutchinsonEstimateTheHessianDiagonal() {
        float[] params = params();
        List<LabeledVector> one = data.subList(0, 1);
        double[] exact = exactHessianDiagonal(params, one);
        int n = params.length;
        int draws = 20000;
        double[] gnb = new double[n];
        double[] hutch = new double[n];
        for (int d = 0; d < draws; d++) {
            float[] g = new float[n];
            curvature.accumulateSampledLabelGradient(params, one, g, new SimpleStepContext(11, d, 0));
            float[] u = Curvature.hutchinsonProbe(11, d, n);
            float[] hu = new float[n];
            curvature.accumulateHessianVectorProduct(params, one, u, hu, SimpleStepContext.of(0, 0));
            float[] sample = Curvature.hutchinsonEstimate(u, hu);
            for (int i = 0; i < n; i++) {
                gnb[i] += (double) g[i] * g[i] / draws;
                hutch[i] += (double) sample[i] / draws;
            }
        }
        double scale = 0;
        for (double e : exact) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < n; i++) {
            assertThat(gnb[i]).as("GNB diag[%d]", i).isCloseTo(exact[i], within(0.05 * scale));
            assertThat(hutch[i]).as("Hutchinson diag[%d]", i).isCloseTo(exact[i], within(0.08 * scale));
        }
    }

    @Test
    void hutchinsonProbeIsAFunctionOfSeedAndStepOnly() {
        assertThat(Curvature.hutchinsonProbe(5, 10, 7)).containsExactly(Curvature.hutchinsonProbe(5, 10, 7));
        assertThat(Curvature.hutchinsonProbe(5, 10, 7)).isNotEqualTo(Curvature.hutchinsonProbe(5, 20, 7));
    }
}
