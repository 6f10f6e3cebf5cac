package io.concord.core.ultragcn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The kernel's inline float exp and log1p against the double library functions. */
class NegativeKernelMathTest {

    @Test
    void expMinusIsWithinTwoUlpOfMathExpAboveFloatRange() {
        for (int i = 0; i <= 200_000; i++) {
            float x = i * 0.0005f;
            double want = Math.exp(-(double) x);
            float got = NegativeKernel.expMinus(x);
            if (x <= 87f) {
                assertThat(Math.abs(got - want)).as("x=%s", x).isLessThanOrEqualTo(2.5e-7 * want);
            } else {
                assertThat(got).as("x=%s", x).isZero();
                assertThat(want).isLessThan(1.7e-38);
            }
        }
        assertThat(NegativeKernel.expMinus(0f)).isEqualTo(1f);
        assertThat(NegativeKernel.expMinus(100f)).isZero();
        assertThat(NegativeKernel.expMinus(Float.POSITIVE_INFINITY)).isZero();
        assertThat(NegativeKernel.expMinus(Float.NaN)).isNaN();
    }

    @Test
    void log1pUnitIsWithinThreeUlpOnTheUnitInterval() {
        for (int i = 0; i <= 100_000; i++) {
            float e = i / 100_000f;
            double want = Math.log1p(e);
            float got = NegativeKernel.log1pUnit(e);
            assertThat(Math.abs(got - want)).as("e=%s", e).isLessThanOrEqualTo(3e-7 * want + 1e-12);
        }
    }
}
