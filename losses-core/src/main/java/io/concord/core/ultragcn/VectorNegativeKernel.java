package io.concord.core.ultragcn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD version of {@link NegativeKernel} (JDK incubating Vector API, the machine's preferred width: 16 floats on
 * AVX-512). Same pairs, same bucketed order ({@link NegativePairs}), same float coefficient arithmetic; each pair is
 * done in one pass: its item row is loaded once into vector registers, scored against the run's user row (held in
 * registers), and the coefficient is applied at once to the item's gradient row and the run's user-gradient
 * accumulators. Only the summation order inside a dot product (lane-wise partial sums, then a lane reduction) differs
 * from the scalar reference, so results agree to float rounding ({@code VectorNegativeKernelTest}).
 *
 * <p>Embedding dimensions of exactly 4 vectors (64 on AVX-512, 32 on AVX2) take a fully register-resident path; other
 * dimensions loop over vectors with a scalar tail. Not thread-safe: one instance per thread.
 */
final class VectorNegativeKernel implements NegativeTermKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final int dim;
    private final int itemsPerBucket;
    private final int itemBase;
    private final float w3;
    private final float w4;
    private final float[] userBeta;
    private final float[] itemBeta;
    private final NegativePairs pairs;
    private float[] scratch = new float[64];
    /** Two vectors' worth of lanes: exp(-|s|) and log(1 + exp(-|s|)) of the current chunk. */
    private final float[] chunk = new float[2 * L];

    VectorNegativeKernel(int dim, int numUsers, int numItems, double w3, double w4, DegreeWeights weights,
                         int itemsPerBucket) {
        if (dim <= 0 || numUsers <= 0 || numItems <= 0 || itemsPerBucket <= 0) {
            throw new IllegalArgumentException("dim, numUsers, numItems and itemsPerBucket must be > 0");
        }
        this.dim = dim;
        this.itemBase = numUsers * dim;
        this.itemsPerBucket = Integer.highestOneBit(itemsPerBucket);
        this.pairs = new NegativePairs(numItems, this.itemsPerBucket);
        this.w3 = (float) w3;
        this.w4 = w4 > 0 ? (float) w4 : 0f;
        this.userBeta = weights.userBetas();
        this.itemBeta = weights.itemBetas();
    }

    /** Floats per vector on this machine. */
    static int lanes() {
        return L;
    }

    @Override
    public int itemsPerBucket() {
        return itemsPerBucket;
    }

    @Override
    public double accumulate(float[] params, float[] grad, int[] users, int count, float[] userRows, float[] userGrad,
                             int[] negatives, int r, float scale) {
        NegativePairs sorted = pairs;
        sorted.sort(negatives, count, r);
        final int[] items = sorted.items();
        final int d = dim;
        final boolean fourVectors = d == 4 * L;
        double loss = 0.0;
        for (int k = 0, nb = sorted.numBuckets(); k < nb; k++) {
            int p0 = sorted.bucketStart(k);
            for (int b = 0; b < count; b++) {
                int p1 = sorted.runEnd(k, b);
                if (p1 == p0) {
                    continue;
                }
                float ub = w4 * userBeta[users[b]];
                loss += fourVectors
                        ? runFourVectors(params, grad, items, p0, p1, userRows, userGrad, b * d, ub, scale)
                        : runAnyDim(params, grad, items, p0, p1, userRows, userGrad, b * d, ub, scale);
                p0 = p1;
            }
        }
        return loss;
    }

    /**
     * One (bucket, row) run with {@code dim = 4·L}, in three passes so that consecutive pairs are independent and
     * overlap in the pipeline: all scores (user row in registers), all coefficients (scalar), all updates (user
     * gradient sums in registers). The item rows of the run stay in L1/L2 between the passes.
     */
    private float runFourVectors(float[] params, float[] grad, int[] items, int p0, int p1, float[] userRows,
                                 float[] userGrad, int bo, float ub, float scale) {
        final int d = dim;
        final int base = itemBase;
        final int m = p1 - p0;
        float[] sc = scores(m);
        FloatVector u0 = FloatVector.fromArray(S, userRows, bo);
        FloatVector u1 = FloatVector.fromArray(S, userRows, bo + L);
        FloatVector u2 = FloatVector.fromArray(S, userRows, bo + 2 * L);
        FloatVector u3 = FloatVector.fromArray(S, userRows, bo + 3 * L);
        for (int t = 0; t < m; t++) {
            int jo = base + items[p0 + t] * d;
            sc[t] = FloatVector.fromArray(S, params, jo).fma(u0, FloatVector.fromArray(S, params, jo + L).mul(u1))
                    .add(FloatVector.fromArray(S, params, jo + 2 * L).fma(u2,
                            FloatVector.fromArray(S, params, jo + 3 * L).mul(u3)))
                    .reduceLanes(VectorOperators.ADD);
        }
        float runLoss = coefficients(sc, items, p0, m, ub, scale);
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        for (int t = 0; t < m; t++) {
            int jo = base + items[p0 + t] * d;
            FloatVector cv = FloatVector.broadcast(S, sc[t]);
            a0 = FloatVector.fromArray(S, params, jo).fma(cv, a0);
            a1 = FloatVector.fromArray(S, params, jo + L).fma(cv, a1);
            a2 = FloatVector.fromArray(S, params, jo + 2 * L).fma(cv, a2);
            a3 = FloatVector.fromArray(S, params, jo + 3 * L).fma(cv, a3);
            u0.fma(cv, FloatVector.fromArray(S, grad, jo)).intoArray(grad, jo);
            u1.fma(cv, FloatVector.fromArray(S, grad, jo + L)).intoArray(grad, jo + L);
            u2.fma(cv, FloatVector.fromArray(S, grad, jo + 2 * L)).intoArray(grad, jo + 2 * L);
            u3.fma(cv, FloatVector.fromArray(S, grad, jo + 3 * L)).intoArray(grad, jo + 3 * L);
        }
        FloatVector.fromArray(S, userGrad, bo).add(a0).intoArray(userGrad, bo);
        FloatVector.fromArray(S, userGrad, bo + L).add(a1).intoArray(userGrad, bo + L);
        FloatVector.fromArray(S, userGrad, bo + 2 * L).add(a2).intoArray(userGrad, bo + 2 * L);
        FloatVector.fromArray(S, userGrad, bo + 3 * L).add(a3).intoArray(userGrad, bo + 3 * L);
        return runLoss;
    }

    /**
     * Replaces the run's scores {@code sc[0..m)} by their gradient coefficients {@code c·σ(s)} and returns the run's
     * loss {@code Σ c·softplus(s)}: {@link #expMinus} and {@link #log1pUnit} are the scalar kernel's polynomials
     * evaluated L lanes at a time (round-to-nearest-even instead of round-half-up in the range reduction, which moves
     * a result by at most an ulp); the tail of the run goes through the scalar functions.
     */
    private float coefficients(float[] sc, int[] items, int p0, int m, float ub, float scale) {
        final float[] ib = itemBeta;
        final float[] ln = chunk;
        final int mv = S.loopBound(m);
        FloatVector lossV = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        for (int t = 0; t < mv; t += L) {
            FloatVector s = FloatVector.fromArray(S, sc, t);
            FloatVector c = FloatVector.fromArray(S, ib, 0, items, p0 + t).mul(ub).add(w3).mul(scale);
            expMinusAbs(sc, t, ln, 0);
            FloatVector e = FloatVector.fromArray(S, ln, 0);
            log1pUnit(ln, 0, ln, L);
            FloatVector inv = one.div(e.add(one));
            lossV = c.fma(s.max(zero).add(FloatVector.fromArray(S, ln, L)), lossV);
            FloatVector sigma = inv.blend(e.mul(inv), s.lt(zero));
            c.mul(sigma).intoArray(sc, t);
        }
        float runLoss = lossV.reduceLanes(VectorOperators.ADD);
        for (int t = mv; t < m; t++) {
            float s = sc[t];
            float c = scale * (w3 + ub * ib[items[p0 + t]]);
            float e = NegativeKernel.expMinus(Math.abs(s));
            float inv = 1f / (1f + e);
            runLoss += c * (Math.max(s, 0f) + NegativeKernel.log1pUnit(e));
            sc[t] = c * (s >= 0 ? inv : e * inv);
        }
        return runLoss;
    }

    /**
     * {@link NegativeKernel#expMinus} of {@code |x|} lane-wise: {@code out[o + l] = exp(-|x[i + l]|)} for the L lanes,
     * 0 below {@code e^-87}.
     *
     * <p>This and {@link #log1pUnit} take and return arrays, not vectors: C2 stops inlining ordinary methods once the
     * kernel's compiled method is large (NodeCountInliningCutoff; the Vector API's own methods are force-inlined
     * regardless), and a vector passed to or returned from a call that is not inlined is boxed — a heap array and an
     * object, about 190 bytes per call, which was 7.4 MB per Gowalla batch (5 GB per epoch) when they took vectors.
     */
    static void expMinusAbs(float[] x, int i, float[] out, int o) {
        FloatVector y = FloatVector.fromArray(S, x, i).abs().neg();
        // round y·log2(e) to the nearest integer k with the 1.5·2^23 trick; k's integer value is in the low bits
        FloatVector shifted = y.fma(1.442695041f, 12582912f);
        FloatVector k = shifted.sub(12582912f);
        FloatVector r = y.sub(k.mul(0.693145751953125f)).sub(k.mul(1.428606765330187e-06f));
        FloatVector p = r.fma(0.0013888889f, 0.008333334f);
        p = p.fma(r, FloatVector.broadcast(S, 0.041666668f));
        p = p.fma(r, FloatVector.broadcast(S, 0.16666667f));
        p = p.fma(r, FloatVector.broadcast(S, 0.5f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        FloatVector twoK = shifted.reinterpretAsInts().sub(0x4B400000).add(127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        p.mul(twoK).blend(0f, y.lt(-87f)).intoArray(out, o);
    }

    /**
     * {@link NegativeKernel#log1pUnit} lane-wise: {@code out[o + l] = log(1 + e[i + l])} for {@code e} in [0, 1] (arrays:
     * see {@link #expMinusAbs}).
     */
    static void log1pUnit(float[] in, int i, float[] out, int o) {
        FloatVector e = FloatVector.fromArray(S, in, i);
        FloatVector z = e.div(e.add(2f));
        FloatVector z2 = z.mul(z);
        FloatVector p = z2.fma(0.07692308f, 0.09090909f);
        p = p.fma(z2, FloatVector.broadcast(S, 0.11111111f));
        p = p.fma(z2, FloatVector.broadcast(S, 0.14285715f));
        p = p.fma(z2, FloatVector.broadcast(S, 0.2f));
        p = p.fma(z2, FloatVector.broadcast(S, 0.33333334f));
        p = p.fma(z2, FloatVector.broadcast(S, 1f));
        z.mul(p).mul(2f).intoArray(out, o);
    }

    private float[] scores(int m) {
        if (scratch.length < m) {
            scratch = new float[Math.max(m, 2 * scratch.length)];
        }
        return scratch;
    }

    /** One run for any dimension: vector chunks plus a scalar tail; user-gradient sums in {@code userGrad}. */
    private float runAnyDim(float[] params, float[] grad, int[] items, int p0, int p1, float[] userRows,
                            float[] userGrad, int bo, float ub, float scale) {
        final int d = dim;
        final int dv = S.loopBound(d);
        float runLoss = 0f;
        for (int p = p0; p < p1; p++) {
            int j = items[p];
            int jo = itemBase + j * d;
            FloatVector acc = FloatVector.zero(S);
            for (int g = 0; g < dv; g += L) {
                acc = FloatVector.fromArray(S, params, jo + g).fma(FloatVector.fromArray(S, userRows, bo + g), acc);
            }
            float s = acc.reduceLanes(VectorOperators.ADD);
            for (int g = dv; g < d; g++) {
                s += userRows[bo + g] * params[jo + g];
            }
            float c = scale * (w3 + ub * itemBeta[j]);
            float e = NegativeKernel.expMinus(Math.abs(s));
            float inv = 1f / (1f + e);
            runLoss += c * (Math.max(s, 0f) + NegativeKernel.log1pUnit(e));
            float cs = c * (s >= 0 ? inv : e * inv);
            FloatVector cv = FloatVector.broadcast(S, cs);
            for (int g = 0; g < dv; g += L) {
                FloatVector.fromArray(S, userRows, bo + g).fma(cv, FloatVector.fromArray(S, grad, jo + g))
                        .intoArray(grad, jo + g);
                FloatVector.fromArray(S, params, jo + g).fma(cv, FloatVector.fromArray(S, userGrad, bo + g))
                        .intoArray(userGrad, bo + g);
            }
            for (int g = dv; g < d; g++) {
                grad[jo + g] += cs * userRows[bo + g];
                userGrad[bo + g] += cs * params[jo + g];
            }
        }
        return runLoss;
    }
}
