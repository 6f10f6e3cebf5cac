package io.concord.data.calib;

/**
 * A pinhole camera in the ground frame (x forward, y left, z up; metres) with pitch only: centre, the right/down/forward
 * unit axes, and intrinsics. Pixel (column j, row i) covers {@code [j, j+1) × [i, i+1)}, so the image centre is
 * {@code (W/2, H/2)}.
 */
final class PinholeCamera {

    final double[] centre;
    final double[] right;
    final double[] down;
    final double[] forward;
    final double fx;
    final double fy;
    final double px;
    final double py;

    /** A camera at {@code centre} pitched by {@code pitch} radians (nose up positive). */
    PinholeCamera(double[] centre, double pitch, double fx, double fy, double px, double py) {
        this.centre = centre.clone();
        double c = Math.cos(pitch);
        double s = Math.sin(pitch);
        this.forward = new double[] {c, 0, s};
        this.right = new double[] {0, -1, 0};
        this.down = new double[] {s, 0, -c};
        this.fx = fx;
        this.fy = fy;
        this.px = px;
        this.py = py;
    }

    /** Unnormalised direction of the ray through image point (u, v). */
    double[] ray(double u, double v) {
        double a = (u - px) / fx;
        double b = (v - py) / fy;
        return new double[] {
            forward[0] + a * right[0] + b * down[0],
            forward[1] + a * right[1] + b * down[1],
            forward[2] + a * right[2] + b * down[2]};
    }

    /** {@code (u, v, depth)} of a ground-frame point; depth ≤ 0 means behind the camera. */
    double[] project(double[] x) {
        double dx = x[0] - centre[0];
        double dy = x[1] - centre[1];
        double dz = x[2] - centre[2];
        return fromCamera(dot(right, dx, dy, dz), dot(down, dx, dy, dz), dot(forward, dx, dy, dz));
    }

    /** {@code (u, v, depth)} of the point at infinity in direction {@code d}. */
    double[] projectDirection(double[] d) {
        return fromCamera(dot(right, d[0], d[1], d[2]), dot(down, d[0], d[1], d[2]), dot(forward, d[0], d[1], d[2]));
    }

    private double[] fromCamera(double xc, double yc, double zc) {
        return new double[] {px + fx * xc / zc, py + fy * yc / zc, zc};
    }

    private static double dot(double[] a, double x, double y, double z) {
        return a[0] * x + a[1] * y + a[2] * z;
    }
}
