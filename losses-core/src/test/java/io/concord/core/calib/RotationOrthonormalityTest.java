package io.concord.core.calib;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RotationOrthonormalityTest {

    @Test
    void zeroForRotationsAndPositiveOtherwise() {
        assertThat(RotationOrthonormality.value(CameraProjection.rotation(0.3), null)).isCloseTo(0, within(1e-15));
        // A reflection is orthogonal but has det −1: only the determinant part is non-zero, (−1 − 1)² = 4.
        assertThat(RotationOrthonormality.value(new double[] {1, 0, 0, 0, 1, 0, 0, 0, -1}, null)).isEqualTo(4.0);
        // 2·I: R·Rᵀ − I = 3·I → 27; det 8 → 49.
        assertThat(RotationOrthonormality.value(new double[] {2, 0, 0, 0, 2, 0, 0, 0, 2}, null)).isEqualTo(76.0);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 10; trial++) {
            double[] m = new double[9];
            for (int i = 0; i < 9; i++) {
                m[i] = 2 * r.nextDouble() - 1;
            }
            double[] grad = new double[9];
            RotationOrthonormality.value(m, grad);
            for (int i = 0; i < 9; i++) {
                double h = 1e-6;
                double[] plus = m.clone();
                double[] minus = m.clone();
                plus[i] += h;
                minus[i] -= h;
                double fd = (RotationOrthonormality.value(plus, null) - RotationOrthonormality.value(minus, null))
                        / (2 * h);
                assertThat(grad[i]).isCloseTo(fd, within(1e-7 * Math.max(1, Math.abs(fd))));
            }
        }
    }
}
