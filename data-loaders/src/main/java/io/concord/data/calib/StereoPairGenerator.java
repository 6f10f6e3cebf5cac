package io.concord.data.calib;

import io.concord.core.calib.CalibParam;
import io.concord.core.util.Seeds;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Renders synthetic stereo pairs with exact labels: a pinhole stereo rig over a {@link StereoScene}, camera parameters
 * drawn from a {@link StereoRigConfig}. Example {@code i} is a pure function of (seed, i): any partitioning of the index
 * range yields the same records.
 *
 * <p>Geometry (matching {@code io.concord.core.calib}): the left camera sits at height h above the ground with pitch
 * θ_L; the right camera's centre is the left one plus {@code t_x·forward − t_y·left + t_z·up} in the left camera's
 * axes, its pitch θ_L + θ, and both share K (f_x = f_y, square pixels, one field of view as in CVGL).
 *
 * <p>The disparity label is a documented clean proxy for the reference's StereoBM mean: the mean over all left pixel
 * centres of the true horizontal displacement {@code u_left − u_right} of the surface point seen there (sky pixels:
 * of the point at infinity), over the pixels whose point lies in front of the right camera. It is in pixels; the
 * reference averaged a raw 16×-fixed-point StereoBM map including invalid pixels.
 */
public final class StereoPairGenerator implements Serializable {

    private static final long serialVersionUID = 1L;

    private final StereoRigConfig config;
    private final long seed;

    public StereoPairGenerator(StereoRigConfig config, long seed) {
        this.config = Objects.requireNonNull(config, "config");
        this.seed = seed;
    }

    public StereoRigConfig config() {
        return config;
    }

    /** Examples {@code from, from + 1, …, from + count − 1}. */
    public List<StereoPair> generate(long from, int count) {
        List<StereoPair> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(generate(from + i));
        }
        return out;
    }

    public StereoPair generate(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("example index must be >= 0, got " + index);
        }
        Rig rig = Rig.sample(config, Seeds.stream(seed, 0xCA11BL, index / config.framesPerConfiguration()));
        StereoScene scene = StereoScene.random(Seeds.stream(seed, 0x5CE4EL, index));
        byte[] left = render(rig.left, scene, Seeds.stream(seed, 0x401CEL, index, 0));
        byte[] right = render(rig.right, scene, Seeds.stream(seed, 0x401CEL, index, 1));
        float[] label = new float[CalibParam.COUNT];
        label[CalibParam.FX.index()] = (float) rig.left.fx;
        label[CalibParam.FY.index()] = (float) rig.left.fy;
        label[CalibParam.PX.index()] = (float) rig.left.px;
        label[CalibParam.PY.index()] = (float) rig.left.py;
        label[CalibParam.BASELINE.index()] = (float) Math.sqrt(rig.tx * rig.tx + rig.ty * rig.ty + rig.tz * rig.tz);
        label[CalibParam.DISPARITY.index()] = (float) meanDisparity(rig, scene, config.width(), config.height());
        label[CalibParam.TX.index()] = (float) rig.tx;
        label[CalibParam.TY.index()] = (float) rig.ty;
        label[CalibParam.TZ.index()] = (float) rig.tz;
        label[CalibParam.PITCH.index()] = (float) rig.theta;
        return new StereoPair("calib-" + seed + "-" + index, config.width(), config.height(), left, right, label);
    }

    /** The sampled cameras of one configuration. */
    static final class Rig {
        final PinholeCamera left;
        final PinholeCamera right;
        final double tx;
        final double ty;
        final double tz;
        final double theta;

        private Rig(PinholeCamera left, PinholeCamera right, double tx, double ty, double tz, double theta) {
            this.left = left;
            this.right = right;
            this.tx = tx;
            this.ty = ty;
            this.tz = tz;
            this.theta = theta;
        }

        static Rig sample(StereoRigConfig c, SplittableRandom r) {
            double fov = Math.toRadians(uniform(r, c.fovMinDeg(), c.fovMaxDeg()));
            double f = 0.5 * c.width() / Math.tan(0.5 * fov);
            double px = 0.5 * c.width() + c.principalPointJitter() * c.width() * (2 * r.nextDouble() - 1);
            double py = 0.5 * c.height() + c.principalPointJitter() * c.height() * (2 * r.nextDouble() - 1);
            double tx = uniform(r, c.txMin(), c.txMax());
            double ty = uniform(r, c.tyMin(), c.tyMax());
            double tz = uniform(r, c.tzMin(), c.tzMax());
            double theta = Math.toRadians(uniform(r, c.pitchMinDeg(), c.pitchMaxDeg()));
            double leftPitch = Math.toRadians(uniform(r, c.leftPitchMinDeg(), c.leftPitchMaxDeg()));
            double h = uniform(r, c.cameraHeightMin(), c.cameraHeightMax());
            return of(f, px, py, tx, ty, tz, theta, leftPitch, h);
        }

        static Rig of(double f, double px, double py, double tx, double ty, double tz, double theta,
                      double leftPitch, double height) {
            PinholeCamera left = new PinholeCamera(new double[] {0, 0, height}, leftPitch, f, f, px, py);
            double[] lateral = {0, 1, 0};
            double[] up = {-left.down[0], -left.down[1], -left.down[2]};
            double[] centre = new double[3];
            for (int a = 0; a < 3; a++) {
                centre[a] = left.centre[a] + tx * left.forward[a] - ty * lateral[a] + tz * up[a];
            }
            PinholeCamera right = new PinholeCamera(centre, leftPitch + theta, f, f, px, py);
            return new Rig(left, right, tx, ty, tz, theta);
        }

        private static double uniform(SplittableRandom r, double lo, double hi) {
            return lo == hi ? lo : lo + (hi - lo) * r.nextDouble();
        }
    }

    private byte[] render(PinholeCamera cam, StereoScene scene, SplittableRandom noise) {
        int w = config.width();
        int h = config.height();
        int s = config.supersampling();
        byte[] out = new byte[w * h * StereoPair.CHANNELS];
        float[] rgb = new float[3];
        float[] acc = new float[3];
        double inv = 1.0 / (s * s);
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                acc[0] = 0;
                acc[1] = 0;
                acc[2] = 0;
                for (int a = 0; a < s; a++) {
                    for (int b = 0; b < s; b++) {
                        scene.trace(cam.centre, cam.ray(j + (b + 0.5) / s, i + (a + 0.5) / s), rgb);
                        acc[0] += rgb[0];
                        acc[1] += rgb[1];
                        acc[2] += rgb[2];
                    }
                }
                int o = (i * w + j) * StereoPair.CHANNELS;
                for (int c = 0; c < 3; c++) {
                    double v = 255.0 * acc[c] * inv + config.noiseStd() * Seeds.gaussian(noise);
                    out[o + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return out;
    }

    static double meanDisparity(Rig rig, StereoScene scene, int width, int height) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                double u = j + 0.5;
                double[] dir = rig.left.ray(u, i + 0.5);
                double t = scene.trace(rig.left.centre, dir, null);
                double[] seen;
                if (Double.isInfinite(t)) {
                    seen = rig.right.projectDirection(dir);
                } else {
                    double[] x = {rig.left.centre[0] + t * dir[0], rig.left.centre[1] + t * dir[1],
                        rig.left.centre[2] + t * dir[2]};
                    seen = rig.right.project(x);
                }
                if (seen[2] > 1e-6) {
                    sum += u - seen[0];
                    n++;
                }
            }
        }
        if (n == 0) {
            throw new IllegalStateException("no left pixel is in front of the right camera; rig " + rig.tx + ", "
                    + rig.ty + ", " + rig.tz);
        }
        return sum / n;
    }
}
