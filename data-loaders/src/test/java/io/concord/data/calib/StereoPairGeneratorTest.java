package io.concord.data.calib;

import io.concord.core.calib.CalibParam;
import io.concord.core.calib.CameraProjection;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StereoPairGeneratorTest {

    private static final StereoRigConfig CONFIG = StereoRigConfig.cvgl(32);

    @Test
    void deterministicPerIndexWhateverTheBatching() {
        StereoPairGenerator g = new StereoPairGenerator(CONFIG, 5);
        List<StereoPair> batch = g.generate(10, 3);
        assertThat(batch.get(1)).isEqualTo(new StereoPairGenerator(CONFIG, 5).generate(11));
        assertThat(batch.get(2).id()).isEqualTo("calib-5-12");
        assertThat(new StereoPairGenerator(CONFIG, 6).generate(11).left()).isNotEqualTo(batch.get(1).left());
        assertThat(batch.get(0).left()).isNotEqualTo(batch.get(0).right());
    }

    @Test
    void labelsFollowTheConfiguredRanges() {
        StereoPairGenerator g = new StereoPairGenerator(CONFIG, 7);
        double fMin = 16 / Math.tan(Math.toRadians(55));
        double fMax = 16 / Math.tan(Math.toRadians(25));
        for (StereoPair p : g.generate(0, 40)) {
            assertThat(p.label(CalibParam.FX)).isBetween(fMin - 1e-4, fMax + 1e-4);
            assertThat(p.label(CalibParam.FY)).isEqualTo(p.label(CalibParam.FX));
            assertThat(p.label(CalibParam.PX)).isEqualTo(16.0);
            assertThat(p.label(CalibParam.PY)).isEqualTo(16.0);
            double tx = p.label(CalibParam.TX);
            double ty = p.label(CalibParam.TY);
            double tz = p.label(CalibParam.TZ);
            assertThat(tx).isBetween(0.0, 0.8);
            assertThat(ty).isBetween(0.2, 0.7);
            assertThat(tz).isBetween(0.0, 0.5);
            assertThat(p.label(CalibParam.BASELINE)).isCloseTo(Math.sqrt(tx * tx + ty * ty + tz * tz), within(1e-6));
            assertThat(Math.abs(p.label(CalibParam.PITCH))).isLessThanOrEqualTo(Math.toRadians(10) + 1e-7);
            // The right camera is to the right: the scene shifts left in the right view.
            assertThat(p.label(CalibParam.DISPARITY)).isPositive();
        }
    }

    @Test
    void labelsDescribeTheRightCameraThroughTheLossesProjectionMatrix() {
        // A ground-frame point seen by the rendered right camera lands where P = K[R | −R·C] built from the labels
        // puts it, with the point expressed in the left camera's rig frame (forward, left, up).
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 30; trial++) {
            StereoPairGenerator.Rig rig = StereoPairGenerator.Rig.sample(
                    new StereoRigConfig(32, 24, 50, 110, 0.1, 0, 0.8, 0.2, 0.7, 0, 0.5, -10, 10, -5, 5, 1.2, 1.8, 1,
                            1, 0), r);
            double[] labels = new double[CalibParam.COUNT];
            labels[CalibParam.FX.index()] = rig.left.fx;
            labels[CalibParam.FY.index()] = rig.left.fy;
            labels[CalibParam.PX.index()] = rig.left.px;
            labels[CalibParam.PY.index()] = rig.left.py;
            labels[CalibParam.TX.index()] = rig.tx;
            labels[CalibParam.TY.index()] = rig.ty;
            labels[CalibParam.TZ.index()] = rig.tz;
            labels[CalibParam.PITCH.index()] = rig.theta;
            double[] p = CameraProjection.projection(labels);
            double[] x = {5 + 30 * r.nextDouble(), 8 * (r.nextDouble() - 0.5), 3 * r.nextDouble()};
            double[] d = {x[0] - rig.left.centre[0], x[1] - rig.left.centre[1], x[2] - rig.left.centre[2]};
            double[] up = {-rig.left.down[0], -rig.left.down[1], -rig.left.down[2]};
            double[] inLeftFrame = {dot(rig.left.forward, d), d[1], dot(up, d)};
            double[] viaP = CameraProjection.project(p, inLeftFrame[0], inLeftFrame[1], inLeftFrame[2]);
            double[] rendered = rig.right.project(x);
            assertThat(viaP[0]).isCloseTo(rendered[0], within(1e-9));
            assertThat(viaP[1]).isCloseTo(rendered[1], within(1e-9));
        }
    }

    @Test
    void meanDisparityMatchesTheClosedFormForAGroundPlaneAndAPureSideways() {
        // θ = 0, level cameras, t = (0, t_y, 0): a ground pixel on row v has depth f·h/(v − p_y) and disparity
        // f·t_y/depth = t_y·(v − p_y)/h; the sky (points at infinity) has disparity 0.
        int w = 20;
        int h = 16;
        double f = 14;
        double height = 1.5;
        double ty = 0.4;
        StereoPairGenerator.Rig rig = StereoPairGenerator.Rig.of(f, w / 2.0, h / 2.0, 0, ty, 0, 0, 0, height);
        double expected = 0;
        for (int i = 0; i < h; i++) {
            double v = i + 0.5;
            if (v > h / 2.0) {
                expected += w * ty * (v - h / 2.0) / height;
            }
        }
        expected /= w * h;
        double actual = StereoPairGenerator.meanDisparity(rig, StereoScene.groundOnly(1), w, h);
        assertThat(actual).isCloseTo(expected, within(1e-9));
    }

    @Test
    void framesOfOneConfigurationShareTheCamera() {
        StereoPairGenerator g = new StereoPairGenerator(CONFIG.withFramesPerConfiguration(3), 9);
        List<StereoPair> pairs = g.generate(0, 4);
        for (CalibParam p : new CalibParam[] {CalibParam.FX, CalibParam.TX, CalibParam.TY, CalibParam.PITCH}) {
            assertThat(pairs.get(1).label(p)).isEqualTo(pairs.get(0).label(p));
            assertThat(pairs.get(2).label(p)).isEqualTo(pairs.get(0).label(p));
            assertThat(pairs.get(3).label(p)).isNotEqualTo(pairs.get(0).label(p));
        }
        assertThat(pairs.get(1).left()).isNotEqualTo(pairs.get(0).left());
    }

    @Test
    void imagesShowSkyAboveGround() {
        StereoPair p = new StereoPairGenerator(CONFIG.withNoise(0), 11).generate(0);
        // Top row: sky (blue above red); bottom row: road or pavement (no strong blue cast).
        double topBlueMinusRed = 0;
        double bottomBlueMinusRed = 0;
        for (int j = 0; j < 32; j++) {
            int top = j * 3;
            int bottom = (31 * 32 + j) * 3;
            topBlueMinusRed += (p.left()[top + 2] & 0xFF) - (p.left()[top] & 0xFF);
            bottomBlueMinusRed += (p.left()[bottom + 2] & 0xFF) - (p.left()[bottom] & 0xFF);
        }
        assertThat(topBlueMinusRed / 32).isGreaterThan(40);
        assertThat(bottomBlueMinusRed / 32).isLessThan(20);
    }

    @Test
    void configValidationNamesTheKey() {
        assertThatThrownBy(() -> new StereoRigConfig(32, 32, 50, 110, 0, 0.9, 0.8, 0.2, 0.7, 0, 0.5, -10, 10, -1, -1,
                1.2, 1.8, 1, 2, 2)).hasMessageContaining("data.generate.txMin");
        assertThatThrownBy(() -> new StereoRigConfig(32, 32, 50, 110, 0, 0, 0.8, 0.2, 0.7, 0, 0.5, -30, 30, -1, -1,
                1.2, 1.8, 1, 2, 2)).hasMessageContaining("horizon");
        assertThatThrownBy(() -> new StereoPairGenerator(CONFIG, 1).generate(-1)).hasMessageContaining("index");
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
