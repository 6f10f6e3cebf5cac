package io.concord.core.calib;

/**
 * The right camera's projection matrix {@code P = K [R | −R·C]} built from the ten calibration parameters (frames in
 * {@code package-info}), its conditioned form {@code P̃ = N·P}, and the backward pass from {@code ∂L/∂P̃} to
 * {@code ∂L/∂parameters}.
 *
 * <p>{@code N = [[1/W, 0, −1/2], [0, 1/H, −1/2], [0, 0, 1]]} maps pixels to image-size units centred on the image
 * (Hartley's conditioning), so that homogeneous image points built from P have entries of order one and a unit-vector
 * comparison weighs the x and y image directions alike whatever the resolution.
 *
 * <p>Matrices are row-major {@code double[]}: 3×3 for K and R, 3×4 for P. Only f_x, f_y, p_x, p_y, t and θ enter P;
 * baseline and disparity do not.
 *
 * <p>Unlike the public reference code, P has no {@code +1} added to its elements and its last column is
 * {@code −R·C}, not the raw offsets t.
 */
public final class CameraProjection {

    private CameraProjection() {
    }

    /** World (left rig frame: forward, left, up) to right camera (right, down, forward) rotation for pitch θ. */
    public static double[] rotation(double theta) {
        double c = Math.cos(theta);
        double s = Math.sin(theta);
        return new double[] {
            0, -1, 0,
            s, 0, -c,
            c, 0, s};
    }

    /** Right camera centre in the left rig frame: {@code (t_x, −t_y, t_z)}. */
    public static double[] centre(double[] params) {
        return new double[] {params[CalibParam.TX.index()], -params[CalibParam.TY.index()],
            params[CalibParam.TZ.index()]};
    }

    /** The intrinsic matrix K in pixels. */
    public static double[] intrinsics(double[] params) {
        return new double[] {
            params[CalibParam.FX.index()], 0, params[CalibParam.PX.index()],
            0, params[CalibParam.FY.index()], params[CalibParam.PY.index()],
            0, 0, 1};
    }

    /** {@code P = K [R | −R·C]} in pixels (3×4 row-major). */
    public static double[] projection(double[] params) {
        return compose(intrinsics(params), params);
    }

    /** {@code P̃ = N·K [R | −R·C]} for a {@code width × height} image (3×4 row-major). */
    public static double[] conditioned(double[] params, int width, int height) {
        return compose(conditionedIntrinsics(params, width, height), params);
    }

    /** {@code N·K}. */
    public static double[] conditionedIntrinsics(double[] params, int width, int height) {
        return new double[] {
            params[CalibParam.FX.index()] / width, 0, params[CalibParam.PX.index()] / width - 0.5,
            0, params[CalibParam.FY.index()] / height, params[CalibParam.PY.index()] / height - 0.5,
            0, 0, 1};
    }

    /** Pixel coordinates of the world point {@code (x, y, z)} (left rig frame) in the right image. */
    public static double[] project(double[] p, double x, double y, double z) {
        double u = p[0] * x + p[1] * y + p[2] * z + p[3];
        double v = p[4] * x + p[5] * y + p[6] * z + p[7];
        double w = p[8] * x + p[9] * y + p[10] * z + p[11];
        return new double[] {u / w, v / w, w};
    }

    /**
     * Adds {@code ∂L/∂params} (physical units, length {@link CalibParam#COUNT}) into {@code gradParams}, given
     * {@code dP = ∂L/∂P̃} for {@code P̃ = conditioned(params, width, height)}.
     */
    public static void backward(double[] params, int width, int height, double[] dP, double[] gradParams) {
        double theta = params[CalibParam.PITCH.index()];
        double[] kc = conditionedIntrinsics(params, width, height);
        double[] r = rotation(theta);
        double[] c = centre(params);
        double[] t = translation(r, c);
        // ∂L/∂K̃ = G_M·Rᵀ + g_T·Tᵀ, needed at (0,0), (0,2), (1,1), (1,2).
        double dK00 = 0;
        double dK02 = 0;
        double dK11 = 0;
        double dK12 = 0;
        for (int j = 0; j < 3; j++) {
            dK00 += dP[j] * r[j];
            dK02 += dP[j] * r[6 + j];
            dK11 += dP[4 + j] * r[3 + j];
            dK12 += dP[4 + j] * r[6 + j];
        }
        dK00 += dP[3] * t[0];
        dK02 += dP[3] * t[2];
        dK11 += dP[7] * t[1];
        dK12 += dP[7] * t[2];
        // ∂L/∂R = K̃ᵀ·G_M − (∂L/∂T)·Cᵀ with ∂L/∂T = K̃ᵀ·g_T; ∂L/∂C = −Rᵀ·∂L/∂T.
        double[] dT = new double[3];
        double[] dR = new double[9];
        for (int i = 0; i < 3; i++) {
            double sT = 0;
            for (int k = 0; k < 3; k++) {
                sT += kc[3 * k + i] * dP[4 * k + 3];
            }
            dT[i] = sT;
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += kc[3 * k + i] * dP[4 * k + j];
                }
                dR[3 * i + j] = s;
            }
        }
        double[] dC = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                dR[3 * i + j] -= dT[i] * c[j];
                dC[j] -= r[3 * i + j] * dT[i];
            }
        }
        double[] dRdTheta = rotationDerivative(theta);
        double dTheta = 0;
        for (int i = 0; i < 9; i++) {
            dTheta += dR[i] * dRdTheta[i];
        }
        gradParams[CalibParam.FX.index()] += dK00 / width;
        gradParams[CalibParam.PX.index()] += dK02 / width;
        gradParams[CalibParam.FY.index()] += dK11 / height;
        gradParams[CalibParam.PY.index()] += dK12 / height;
        gradParams[CalibParam.TX.index()] += dC[0];
        gradParams[CalibParam.TY.index()] -= dC[1];
        gradParams[CalibParam.TZ.index()] += dC[2];
        gradParams[CalibParam.PITCH.index()] += dTheta;
    }

    /** {@code dR/dθ}, row-major. */
    static double[] rotationDerivative(double theta) {
        double c = Math.cos(theta);
        double s = Math.sin(theta);
        return new double[] {
            0, 0, 0,
            c, 0, s,
            -s, 0, c};
    }

    private static double[] compose(double[] k, double[] params) {
        double[] r = rotation(params[CalibParam.PITCH.index()]);
        double[] t = translation(r, centre(params));
        double[] p = new double[12];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int m = 0; m < 3; m++) {
                    s += k[3 * i + m] * r[3 * m + j];
                }
                p[4 * i + j] = s;
            }
            double s = 0;
            for (int m = 0; m < 3; m++) {
                s += k[3 * i + m] * t[m];
            }
            p[4 * i + 3] = s;
        }
        return p;
    }

    /** {@code T = −R·C}. */
    private static double[] translation(double[] r, double[] c) {
        double[] t = new double[3];
        for (int i = 0; i < 3; i++) {
            t[i] = -(r[3 * i] * c[0] + r[3 * i + 1] * c[1] + r[3 * i + 2] * c[2]);
        }
        return t;
    }
}
