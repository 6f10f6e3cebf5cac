package io.concord.core.optim;

import io.concord.core.util.Seeds;

import java.util.SplittableRandom;

/** Helpers for curvature estimates that the engine and tests share. */
public final class Curvature {

    /** Mixed into the seed so the probe stream differs from every other stream of the run. */
    private static final long HUTCHINSON_STREAM = 0x4875746368L;

    private Curvature() {
    }

    /**
     * The Hutchinson probe u ~ N(0, I) for the estimate after step {@code t}: a function of (seed, t) only, identical
     * on every partition, so that the mean of the partitions' {@code H_p·u} is {@code H̄·u}.
     */
    public static float[] hutchinsonProbe(long seed, long t, int numParams) {
        SplittableRandom random = Seeds.stream(seed, HUTCHINSON_STREAM, t);
        float[] u = new float[numParams];
        for (int i = 0; i < numParams; i++) {
            u[i] = (float) Seeds.gaussian(random);
        }
        return u;
    }

    /** {@code u ⊙ (H̄u)}, an unbiased estimate of diag(H̄). */
    public static float[] hutchinsonEstimate(float[] u, float[] meanHessianVectorProduct) {
        if (u.length != meanHessianVectorProduct.length) {
            throw new IllegalArgumentException("hutchinson: probe has " + u.length + " entries, product has "
                    + meanHessianVectorProduct.length);
        }
        float[] out = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            out[i] = u[i] * meanHessianVectorProduct[i];
        }
        return out;
    }
}
