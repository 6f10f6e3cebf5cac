package io.concord.core.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Adam}'s loop in SIMD lanes (loaded only where {@code jdk.incubator.vector} is present). Every lane computes
 * {@link AdamKernel#update}'s formula operation by operation — IEEE add, multiply, divide and square root, no fused
 * multiply-add — so each element is bit-identical to the scalar loop.
 */
final class AdamLanes {

    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;

    private AdamLanes() {
    }

    /** Steps the first {@code loopBound(length)} elements of the slice; returns how many (the caller does the rest). */
    static int step(float[] params, float[] grad, int offset, int length, float[] state, AdamKernel kernel,
                    boolean modelL2, float modelCoefficient, float l2, boolean decayBefore, boolean decayAfter,
                    float decay) {
        final float b1 = kernel.b1;
        final float b2 = kernel.b2;
        final float oneMinusB1 = kernel.oneMinusB1;
        final float oneMinusB2 = kernel.oneMinusB2;
        final float negStep = -kernel.stepSize;
        final float invSqrtBc2 = kernel.invSqrtBc2;
        final float eps = kernel.eps;
        int upper = LANES.loopBound(length);
        for (int i = 0; i < upper; i += LANES.length()) {
            FloatVector p = FloatVector.fromArray(LANES, params, offset + i);
            FloatVector g = FloatVector.fromArray(LANES, grad, offset + i);
            if (modelL2) {
                g = g.add(p.mul(modelCoefficient));
            }
            g = g.add(p.mul(l2));
            if (decayBefore) {
                p = p.mul(decay);
            }
            FloatVector m = FloatVector.fromArray(LANES, state, i).mul(b1).add(g.mul(oneMinusB1));
            FloatVector v = FloatVector.fromArray(LANES, state, length + i).mul(b2).add(g.mul(oneMinusB2).mul(g));
            m.intoArray(state, i);
            v.intoArray(state, length + i);
            p = p.add(m.mul(negStep).div(v.sqrt().mul(invSqrtBc2).add(eps)));
            if (decayAfter) {
                p = p.mul(decay);
            }
            p.intoArray(params, offset + i);
        }
        return upper;
    }
}
