package io.concord.core.calib;

import java.util.SplittableRandom;

/** Random camera parameters in the CVGL ranges for a 64×48 image, and a fixed scaling for them. */
final class CalibFixtures {

    static final int W = 64;
    static final int H = 48;

    private CalibFixtures() {
    }

    static double[] randomPhysical(SplittableRandom r) {
        double fov = Math.toRadians(50 + 60 * r.nextDouble());
        double f = 0.5 * W / Math.tan(0.5 * fov);
        double tx = 0.8 * r.nextDouble();
        double ty = 0.2 + 0.5 * r.nextDouble();
        double tz = 0.5 * r.nextDouble();
        double[] p = new double[CalibParam.COUNT];
        p[CalibParam.FX.index()] = f;
        p[CalibParam.FY.index()] = f * (0.95 + 0.1 * r.nextDouble());
        p[CalibParam.PX.index()] = W / 2.0 + 4 * (r.nextDouble() - 0.5);
        p[CalibParam.PY.index()] = H / 2.0 + 4 * (r.nextDouble() - 0.5);
        p[CalibParam.BASELINE.index()] = Math.sqrt(tx * tx + ty * ty + tz * tz);
        p[CalibParam.DISPARITY.index()] = 1 + 9 * r.nextDouble();
        p[CalibParam.TX.index()] = tx;
        p[CalibParam.TY.index()] = ty;
        p[CalibParam.TZ.index()] = tz;
        p[CalibParam.PITCH.index()] = 0.35 * (r.nextDouble() - 0.5);
        return p;
    }

    /** Roughly the mean and standard deviation of {@link #randomPhysical}. */
    static ParamScaling scaling() {
        return new ParamScaling(
                new double[] {45, 45, 32, 24, 0.65, 5.5, 0.4, 0.45, 0.25, 0.0},
                new double[] {17, 17, 1.2, 1.2, 0.2, 2.6, 0.23, 0.14, 0.14, 0.1});
    }
}
