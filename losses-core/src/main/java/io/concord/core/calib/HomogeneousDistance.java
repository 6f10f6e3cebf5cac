package io.concord.core.calib;

/**
 * Distance between two homogeneous vectors (image points or planes) as oriented projective entities: the chord
 * {@code ‖h_p/|h_p| − h_t/|h_t|‖} between their unit vectors, smoothed as {@code sqrt(chord² + δ²) − δ}
 * (Charbonnier) so that it is differentiable at zero and L1-like beyond δ, like the reference's MAE.
 *
 * <p>Unit vectors keep points at infinity (a vanishing point at θ = 0, the world origin when it lies in the camera's
 * principal plane) finite, where the reference's dehomogenised ratios {@code P[0,j] / (P[2,j] + 2e-5)} blow up. The
 * orientation (sign) is kept: P maps a direction and its opposite to opposite homogeneous vectors.
 */
final class HomogeneousDistance {

    /** Guards the norm of an all-zero vector; far below any value that P produces. */
    private static final double NORM_EPS = 1e-12;

    private HomogeneousDistance() {
    }

    /**
     * The smoothed chord between the sub-vectors of {@code pred} and {@code truth} at {@code indices}; adds
     * {@code weight · ∂/∂pred} into {@code gradPred} at those indices when it is not null.
     */
    static double value(double[] pred, double[] truth, int[] indices, double delta, double weight,
                        double[] gradPred) {
        int n = indices.length;
        double np = 0;
        double nt = 0;
        for (int idx : indices) {
            np += pred[idx] * pred[idx];
            nt += truth[idx] * truth[idx];
        }
        double rp = Math.sqrt(np + NORM_EPS * NORM_EPS);
        double rt = Math.sqrt(nt + NORM_EPS * NORM_EPS);
        double[] diff = new double[n];
        double chord2 = 0;
        for (int i = 0; i < n; i++) {
            diff[i] = pred[indices[i]] / rp - truth[indices[i]] / rt;
            chord2 += diff[i] * diff[i];
        }
        double root = Math.sqrt(chord2 + delta * delta);
        if (gradPred != null) {
            // g = ∂φ/∂u_p = Δ/root; ∂φ/∂h_p = g/r − h·(h·g)/r³.
            double hg = 0;
            for (int i = 0; i < n; i++) {
                hg += pred[indices[i]] * diff[i] / root;
            }
            double rp3 = rp * rp * rp;
            for (int i = 0; i < n; i++) {
                double g = diff[i] / root;
                gradPred[indices[i]] += weight * (g / rp - pred[indices[i]] * hg / rp3);
            }
        }
        return weight * (root - delta);
    }
}
