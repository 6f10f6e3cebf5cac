package io.concord.core.calib;

/**
 * {@code O(R) = ‖R·Rᵀ − I‖²_F + (det R − 1)²}: zero exactly for proper rotations.
 *
 * <p>The reference's "rot_identity" output computes {@code Σ_ij R_ij·Rᵀ_ij = trace(R²) = 1 + 2 cos 2θ} against 3, which
 * is not an orthonormality test but a pull of θ toward 0; its row-product and determinant outputs are constant for
 * {@code R_y(θ)}. With R built from a single predicted angle, {@code O} is identically zero too (the loss documents
 * this); it has teeth only for an R that is not parameterised as a rotation, which is what {@link #value} accepts.
 */
public final class RotationOrthonormality {

    private RotationOrthonormality() {
    }

    /** O(R) for a row-major 3×3 {@code r}; overwrites {@code grad} with ∂O/∂R when it is not null. */
    public static double value(double[] r, double[] grad) {
        double[] e = new double[9]; // R·Rᵀ − I
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += r[3 * i + k] * r[3 * j + k];
                }
                e[3 * i + j] = s - (i == j ? 1.0 : 0.0);
            }
        }
        double[] cof = cofactors(r);
        double det = r[0] * cof[0] + r[1] * cof[1] + r[2] * cof[2];
        double value = (det - 1) * (det - 1);
        for (double v : e) {
            value += v * v;
        }
        if (grad != null) {
            // ∂‖E‖²/∂R = 4·E·R (E symmetric); ∂(det − 1)²/∂R = 2(det − 1)·cof(R).
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double s = 0;
                    for (int k = 0; k < 3; k++) {
                        s += e[3 * i + k] * r[3 * k + j];
                    }
                    grad[3 * i + j] = 4 * s + 2 * (det - 1) * cof[3 * i + j];
                }
            }
        }
        return value;
    }

    /** Cofactor matrix: {@code cof[i][j] = ∂det/∂R[i][j]}. */
    static double[] cofactors(double[] r) {
        return new double[] {
            r[4] * r[8] - r[5] * r[7], r[5] * r[6] - r[3] * r[8], r[3] * r[7] - r[4] * r[6],
            r[2] * r[7] - r[1] * r[8], r[0] * r[8] - r[2] * r[6], r[1] * r[6] - r[0] * r[7],
            r[1] * r[5] - r[2] * r[4], r[2] * r[3] - r[0] * r[5], r[0] * r[4] - r[1] * r[3]};
    }
}
