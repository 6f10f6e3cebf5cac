package io.concord.data.calib;

import io.concord.core.util.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A procedural street scene in the ground frame (x forward, y left, z up): an infinite textured ground plane (asphalt
 * road with dashed centre line and solid edge lines, tiled pavement beyond), axis-aligned boxes (building facades with
 * windows, vehicles on the road, poles) and a sky gradient, with distance haze. Texture is a function of the world
 * point only, so both views see the same surface. The road's straight edges and the horizon are the cues that make
 * focal length, principal point and pitch observable, as in the CARLA streets of CVGL.
 */
final class StereoScene {

    private static final double HAZE_DISTANCE = 140.0;
    private static final float[] HAZE = {0.78f, 0.80f, 0.84f};

    private final long textureSeed;
    private final double roadCentre;
    private final double roadHalfWidth;
    private final float[] pavement;
    private final float[] zenith;
    private final List<Box> boxes;

    private record Box(double[] min, double[] max, float[] colour, int kind) {
        static final int BUILDING = 0;
        static final int VEHICLE = 1;
        static final int POLE = 2;
    }

    private StereoScene(long textureSeed, double roadCentre, double roadHalfWidth, float[] pavement, float[] zenith,
                        List<Box> boxes) {
        this.textureSeed = textureSeed;
        this.roadCentre = roadCentre;
        this.roadHalfWidth = roadHalfWidth;
        this.pavement = pavement;
        this.zenith = zenith;
        this.boxes = boxes;
    }

    /** The ground plane and sky alone (no objects), for checks against closed forms. */
    static StereoScene groundOnly(long textureSeed) {
        return new StereoScene(textureSeed, 0.0, 5.0, new float[] {0.5f, 0.5f, 0.45f},
                new float[] {0.3f, 0.5f, 0.8f}, List.of());
    }

    static StereoScene random(SplittableRandom r) {
        long textureSeed = r.nextLong();
        double roadCentre = 2.0 * (r.nextDouble() - 0.5);
        double half = 3.5 + 3.5 * r.nextDouble();
        float[] pavement = {(float) (0.45 + 0.2 * r.nextDouble()), (float) (0.42 + 0.2 * r.nextDouble()),
            (float) (0.35 + 0.2 * r.nextDouble())};
        float[] zenith = {(float) (0.25 + 0.1 * r.nextDouble()), (float) (0.45 + 0.1 * r.nextDouble()),
            (float) (0.75 + 0.15 * r.nextDouble())};
        List<Box> boxes = new ArrayList<>();
        int buildings = 4 + r.nextInt(9);
        for (int i = 0; i < buildings; i++) {
            double side = r.nextBoolean() ? 1 : -1;
            double near = roadCentre + side * (half + 1.5 + 8 * r.nextDouble());
            double depth = 3 + 9 * r.nextDouble();
            double y0 = side > 0 ? near : near - depth;
            double x0 = 5 + 75 * r.nextDouble();
            double len = 3 + 12 * r.nextDouble();
            double h = 3 + 17 * r.nextDouble();
            boxes.add(new Box(new double[] {x0, y0, 0}, new double[] {x0 + len, y0 + depth, h}, colour(r, 0.3, 0.6),
                    Box.BUILDING));
        }
        int vehicles = r.nextInt(4);
        for (int i = 0; i < vehicles; i++) {
            double y = roadCentre + (r.nextDouble() - 0.5) * (2 * half - 2.2);
            double x0 = 7 + 50 * r.nextDouble();
            boxes.add(new Box(new double[] {x0, y - 0.9, 0.2}, new double[] {x0 + 4.5, y + 0.9, 1.6},
                    colour(r, 0.1, 0.8), Box.VEHICLE));
        }
        int poles = 2 + r.nextInt(6);
        for (int i = 0; i < poles; i++) {
            double side = r.nextBoolean() ? 1 : -1;
            double y = roadCentre + side * (half + 0.5 + r.nextDouble());
            double x0 = 5 + 60 * r.nextDouble();
            boxes.add(new Box(new double[] {x0, y - 0.12, 0}, new double[] {x0 + 0.24, y + 0.12, 4 + 4 * r.nextDouble()},
                    colour(r, 0.15, 0.35), Box.POLE));
        }
        return new StereoScene(textureSeed, roadCentre, half, pavement, zenith, boxes);
    }

    private static float[] colour(SplittableRandom r, double lo, double span) {
        double base = lo + span * r.nextDouble();
        return new float[] {(float) (base * (0.8 + 0.4 * r.nextDouble())), (float) (base * (0.8 + 0.4 * r.nextDouble())),
            (float) (base * (0.8 + 0.4 * r.nextDouble()))};
    }

    /**
     * Distance along {@code dir} (any length; the result is in units of |dir|) to the first surface hit from
     * {@code origin}, or {@link Double#POSITIVE_INFINITY} for the sky. Writes the colour into {@code rgb} when it is not
     * null.
     */
    double trace(double[] origin, double[] dir, float[] rgb) {
        double best = Double.POSITIVE_INFINITY;
        int bestBox = -1;
        int bestAxis = -1;
        if (dir[2] < 0) {
            best = -origin[2] / dir[2];
        }
        for (int b = 0; b < boxes.size(); b++) {
            Box box = boxes.get(b);
            double tNear = Double.NEGATIVE_INFINITY;
            double tFar = Double.POSITIVE_INFINITY;
            int axis = -1;
            boolean miss = false;
            for (int a = 0; a < 3 && !miss; a++) {
                if (Math.abs(dir[a]) < 1e-12) {
                    miss = origin[a] < box.min[a] || origin[a] > box.max[a];
                    continue;
                }
                double t1 = (box.min[a] - origin[a]) / dir[a];
                double t2 = (box.max[a] - origin[a]) / dir[a];
                double lo = Math.min(t1, t2);
                double hi = Math.max(t1, t2);
                if (lo > tNear) {
                    tNear = lo;
                    axis = a;
                }
                tFar = Math.min(tFar, hi);
                miss = tNear > tFar;
            }
            if (!miss && tNear > 1e-9 && tNear < best) {
                best = tNear;
                bestBox = b;
                bestAxis = axis;
            }
        }
        if (rgb != null) {
            double len = Math.sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
            if (best == Double.POSITIVE_INFINITY) {
                sky(dir[2] / len, rgb);
            } else {
                double[] p = {origin[0] + best * dir[0], origin[1] + best * dir[1], origin[2] + best * dir[2]};
                if (bestBox < 0) {
                    ground(p, rgb);
                } else {
                    surface(boxes.get(bestBox), bestAxis, p, rgb);
                }
                float haze = (float) (1 - Math.exp(-best * len / HAZE_DISTANCE));
                for (int c = 0; c < 3; c++) {
                    rgb[c] += haze * (HAZE[c] - rgb[c]);
                }
            }
        }
        return best;
    }

    private void sky(double elevation, float[] rgb) {
        float e = (float) Math.max(0, Math.min(1, elevation * 2.5));
        for (int c = 0; c < 3; c++) {
            rgb[c] = HAZE[c] + e * (zenith[c] - HAZE[c]);
        }
    }

    private void ground(double[] p, float[] rgb) {
        double y = p[1] - roadCentre;
        double ay = Math.abs(y);
        float n = (float) noise(p[0] * 2.0, p[1] * 2.0, 0);
        if (ay < roadHalfWidth) {
            float g = 0.30f + 0.08f * n;
            boolean edge = ay > roadHalfWidth - 0.25 && ay < roadHalfWidth - 0.1;
            boolean centre = ay < 0.08 && Math.floorMod((long) Math.floor(p[0] / 3.0), 2L) == 0;
            if (edge || centre) {
                g = 0.9f;
            }
            rgb[0] = g;
            rgb[1] = g;
            rgb[2] = g * 1.03f;
        } else {
            boolean tile = (Math.floorMod((long) Math.floor(p[0] / 1.5), 2L)
                    ^ Math.floorMod((long) Math.floor(p[1] / 1.5), 2L)) == 0;
            float shade = (tile ? 1.0f : 0.82f) * (0.88f + 0.2f * n);
            for (int c = 0; c < 3; c++) {
                rgb[c] = pavement[c] * shade;
            }
        }
    }

    private void surface(Box box, int axis, double[] p, float[] rgb) {
        // Faces lit differently by orientation so that box edges show; facades get a window grid.
        float light = axis == 0 ? 1.0f : axis == 1 ? 0.75f : 1.15f;
        float detail = 1.0f;
        if (box.kind == Box.BUILDING && axis != 2) {
            double along = axis == 0 ? p[1] : p[0];
            boolean window = frac(along / 2.5) > 0.3 && frac(p[2] / 3.0) > 0.35 && p[2] > 1.0;
            detail = window ? 0.45f : 1.0f;
        } else if (box.kind == Box.VEHICLE && p[2] > 1.0) {
            detail = 0.5f;
        }
        float n = (float) noise(p[0] * 3 + p[1] * 3, p[2] * 3, 1);
        for (int c = 0; c < 3; c++) {
            rgb[c] = Math.min(1f, box.colour[c] * light * detail * (0.9f + 0.2f * n));
        }
    }

    private static double frac(double x) {
        return x - Math.floor(x);
    }

    /** Bilinear value noise in [0, 1] on the integer lattice, keyed by the scene's texture seed. */
    private double noise(double x, double y, int channel) {
        long ix = (long) Math.floor(x);
        long iy = (long) Math.floor(y);
        double fx = x - ix;
        double fy = y - iy;
        double a = lattice(ix, iy, channel);
        double b = lattice(ix + 1, iy, channel);
        double c = lattice(ix, iy + 1, channel);
        double d = lattice(ix + 1, iy + 1, channel);
        return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
    }

    private double lattice(long ix, long iy, int channel) {
        return (Seeds.mix(textureSeed, ix, iy, channel) >>> 11) * 0x1.0p-53;
    }
}
