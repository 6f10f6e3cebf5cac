package io.concord.core.calib;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CameraProjectionTest {

    /** Independent pinhole projection in the x-forward rig convention of the reference doc, pitch nose-up. */
    private static double[] projectRig(double[] p, double x, double y, double z) {
        double theta = p[CalibParam.PITCH.index()];
        double dx = x - p[CalibParam.TX.index()];
        double dy = y + p[CalibParam.TY.index()];
        double dz = z - p[CalibParam.TZ.index()];
        double depth = Math.cos(theta) * dx + Math.sin(theta) * dz;
        double up = -Math.sin(theta) * dx + Math.cos(theta) * dz;
        return new double[] {
            p[CalibParam.PX.index()] - p[CalibParam.FX.index()] * dy / depth,
            p[CalibParam.PY.index()] - p[CalibParam.FY.index()] * up / depth};
    }

    @Test
    void projectsLikeAnIndependentRigProjection() {
        SplittableRandom r = new SplittableRandom(1);
        for (int trial = 0; trial < 50; trial++) {
            double[] p = CalibFixtures.randomPhysical(r);
            double[] pm = CameraProjection.projection(p);
            double x = 3 + 40 * r.nextDouble();
            double y = 10 * (r.nextDouble() - 0.5);
            double z = 4 * (r.nextDouble() - 0.5);
            double[] expected = projectRig(p, x, y, z);
            double[] actual = CameraProjection.project(pm, x, y, z);
            assertThat(actual[0]).isCloseTo(expected[0], within(1e-9));
            assertThat(actual[1]).isCloseTo(expected[1], within(1e-9));
        }
    }

    @Test
    void cameraCentreIsTheNullVectorOfP() {
        // P·(C, 1) = 0 for a projection matrix; the reference's "P + 1" fails this (each row sums to +4·… ≠ 0).
        SplittableRandom r = new SplittableRandom(2);
        for (int trial = 0; trial < 20; trial++) {
            double[] p = CalibFixtures.randomPhysical(r);
            double[] c = CameraProjection.centre(p);
            for (double[] pm : new double[][] {CameraProjection.projection(p),
                CameraProjection.conditioned(p, CalibFixtures.W, CalibFixtures.H)}) {
                for (int i = 0; i < 3; i++) {
                    double s = pm[4 * i] * c[0] + pm[4 * i + 1] * c[1] + pm[4 * i + 2] * c[2] + pm[4 * i + 3];
                    assertThat(s).isCloseTo(0.0, within(1e-12));
                }
            }
        }
    }

    @Test
    void rotationIsProperAndForwardVanishingPointIsTheHorizonPoint() {
        SplittableRandom r = new SplittableRandom(3);
        double[] p = CalibFixtures.randomPhysical(r);
        double theta = p[CalibParam.PITCH.index()];
        double[] rot = CameraProjection.rotation(theta);
        assertThat(RotationOrthonormality.value(rot, null)).isCloseTo(0.0, within(1e-15));
        double[] cof = RotationOrthonormality.cofactors(rot);
        assertThat(rot[0] * cof[0] + rot[1] * cof[1] + rot[2] * cof[2]).isCloseTo(1.0, within(1e-15));
        // Column 0 = image of the forward direction: (p_x, p_y + f_y·tan θ); nose up moves the horizon down.
        double[] pm = CameraProjection.projection(p);
        assertThat(pm[0] / pm[8]).isCloseTo(p[CalibParam.PX.index()], within(1e-12));
        assertThat(pm[4] / pm[8]).isCloseTo(p[CalibParam.PY.index()] + p[CalibParam.FY.index()] * Math.tan(theta),
                within(1e-12));
        // Column 3 = image of the world origin (the left camera centre).
        double[] origin = CameraProjection.project(pm, 0, 0, 0);
        assertThat(pm[3] / pm[11]).isCloseTo(origin[0], within(1e-12));
        assertThat(pm[7] / pm[11]).isCloseTo(origin[1], within(1e-12));
    }

    @Test
    void backwardMatchesCentralDifferences() {
        SplittableRandom r = new SplittableRandom(4);
        for (int trial = 0; trial < 10; trial++) {
            double[] p = CalibFixtures.randomPhysical(r);
            double[] g = new double[12];
            for (int i = 0; i < 12; i++) {
                g[i] = r.nextDouble() - 0.5;
            }
            double[] analytic = new double[CalibParam.COUNT];
            CameraProjection.backward(p, CalibFixtures.W, CalibFixtures.H, g, analytic);
            for (int k = 0; k < CalibParam.COUNT; k++) {
                double h = 1e-6 * Math.max(1, Math.abs(p[k]));
                double[] plus = p.clone();
                double[] minus = p.clone();
                plus[k] += h;
                minus[k] -= h;
                double fd = (dot(g, CameraProjection.conditioned(plus, CalibFixtures.W, CalibFixtures.H))
                        - dot(g, CameraProjection.conditioned(minus, CalibFixtures.W, CalibFixtures.H))) / (2 * h);
                assertThat(analytic[k]).as("d/d%s", CalibParam.values()[k].key()).isCloseTo(fd, within(1e-8));
            }
            assertThat(analytic[CalibParam.BASELINE.index()]).isZero();
            assertThat(analytic[CalibParam.DISPARITY.index()]).isZero();
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
