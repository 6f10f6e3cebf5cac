package io.concord.core.ultragcn;

import java.util.Arrays;

/**
 * The scoring-and-update kernel of UltraGCN's negative terms: for every sampled pair (batch row b, item j) it scores
 * {@code s = e_u·e_j}, adds {@code c·softplus(s)} to the loss, {@code c·σ(s)·e_j} to the user's gradient and
 * {@code c·σ(s)·e_u} to the item's gradient, where {@code c = (negative_weight / R) · (w3 + w4·β(u,j))}.
 *
 * <p>Exactly the official sum, reordered for the cache: the pairs are bucketed by item block (a block's item rows and
 * their gradient rows stay in L2), and within a block by batch row, so each (block, row) run reuses the user's
 * embedding and gradient from registers. The set of pairs, and therefore the objective, is unchanged; only the
 * floating-point summation order differs from a row-by-row loop. Inner loops are unrolled by 8 for instruction-level
 * parallelism (Java 17's C2 does not vectorise them: they index two arrays at run-time offsets).
 *
 * <p>Not thread-safe: one instance per thread (it owns its scratch buffers).
 */
public final class NegativeKernel implements NegativeTermKernel {

    /** Item-row bytes per bucket: 256 KiB of embeddings plus as much of gradient rows fits a 1 MiB+ L2. */
    static final int BUCKET_BYTES = 256 * 1024;

    private final int dim;
    private final int itemsPerBucket;
    private final int itemBase;
    private final float w3;
    private final float w4;
    private final float[] userBeta;
    private final float[] itemBeta;

    private final NegativePairs pairs;
    private float[] coef = new float[0];

    /**
     * @param dim      embedding dimension
     * @param numUsers number of users (item rows start at {@code numUsers·dim} in the flat vector)
     * @param numItems number of items
     * @param w3       constant part of the negative weight
     * @param w4       β part of the negative weight; ignored (treated as 0) unless > 0, like the official code
     * @param weights  β tables
     */
    public NegativeKernel(int dim, int numUsers, int numItems, double w3, double w4, DegreeWeights weights) {
        this(dim, numUsers, numItems, w3, w4, weights, Math.max(1, BUCKET_BYTES / (4 * dim)));
    }

    /** As above with an explicit bucket size (rounded down to a power of two); for tests and benchmarks. */
    public NegativeKernel(int dim, int numUsers, int numItems, double w3, double w4, DegreeWeights weights,
                          int itemsPerBucket) {
        if (dim <= 0 || numUsers <= 0 || numItems <= 0 || itemsPerBucket <= 0) {
            throw new IllegalArgumentException("dim, numUsers, numItems and itemsPerBucket must be > 0");
        }
        this.dim = dim;
        this.itemBase = numUsers * dim;
        int rowsPerBucket = Integer.highestOneBit(itemsPerBucket);
        this.itemsPerBucket = rowsPerBucket;
        this.pairs = new NegativePairs(numItems, rowsPerBucket);
        this.w3 = (float) w3;
        this.w4 = w4 > 0 ? (float) w4 : 0f;
        this.userBeta = weights.userBetas();
        this.itemBeta = weights.itemBetas();
    }

    @Override
    public int itemsPerBucket() {
        return itemsPerBucket;
    }

    @Override
    public double accumulate(float[] params, float[] grad, int[] users, int count, float[] userRows, float[] userGrad,
                             int[] negatives, int r, float scale) {
        if (coef.length < r) {
            coef = new float[r];
        }
        NegativePairs sortedPairs = this.pairs;
        sortedPairs.sort(negatives, count, r);
        double loss = 0.0;
        final int d = dim;
        final int d8 = d & ~7;
        final int[] pairs = sortedPairs.items();
        final float[] sc = coef;
        final int numBuckets = sortedPairs.numBuckets();
        for (int k = 0; k < numBuckets; k++) {
            int p0 = sortedPairs.bucketStart(k);
            for (int b = 0; b < count; b++) {
                int p1 = sortedPairs.runEnd(k, b);
                int m = p1 - p0;
                if (m == 0) {
                    continue;
                }
                int bo = b * d;
                // scores of the run
                Arrays.fill(sc, 0, m, 0f);
                for (int g = 0; g < d8; g += 8) {
                    float u0 = userRows[bo + g], u1 = userRows[bo + g + 1], u2 = userRows[bo + g + 2];
                    float u3 = userRows[bo + g + 3], u4 = userRows[bo + g + 4], u5 = userRows[bo + g + 5];
                    float u6 = userRows[bo + g + 6], u7 = userRows[bo + g + 7];
                    for (int t = 0; t < m; t++) {
                        int jo = itemBase + pairs[p0 + t] * d + g;
                        sc[t] += ((u0 * params[jo] + u1 * params[jo + 1]) + (u2 * params[jo + 2] + u3 * params[jo + 3]))
                                + ((u4 * params[jo + 4] + u5 * params[jo + 5])
                                + (u6 * params[jo + 6] + u7 * params[jo + 7]));
                    }
                }
                for (int g = d8; g < d; g++) {
                    float u = userRows[bo + g];
                    for (int t = 0; t < m; t++) {
                        sc[t] += u * params[itemBase + pairs[p0 + t] * d + g];
                    }
                }
                // coefficients c·σ(s) and loss c·softplus(s), in float (see expMinus / log1pUnit)
                float ub = w4 * userBeta[users[b]];
                float runLoss = 0f;
                for (int t = 0; t < m; t++) {
                    float s = sc[t];
                    float c = scale * (w3 + ub * itemBeta[pairs[p0 + t]]);
                    float e = expMinus(Math.abs(s));
                    float inv = 1f / (1f + e);
                    runLoss += c * (Math.max(s, 0f) + log1pUnit(e));
                    sc[t] = c * (s >= 0 ? inv : e * inv);
                }
                loss += runLoss;
                // gradients: user row accumulates in registers, item rows in place
                for (int g = 0; g < d8; g += 8) {
                    float u0 = userRows[bo + g], u1 = userRows[bo + g + 1], u2 = userRows[bo + g + 2];
                    float u3 = userRows[bo + g + 3], u4 = userRows[bo + g + 4], u5 = userRows[bo + g + 5];
                    float u6 = userRows[bo + g + 6], u7 = userRows[bo + g + 7];
                    float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, a4 = 0f, a5 = 0f, a6 = 0f, a7 = 0f;
                    for (int t = 0; t < m; t++) {
                        int jo = itemBase + pairs[p0 + t] * d + g;
                        float c = sc[t];
                        a0 += c * params[jo];
                        a1 += c * params[jo + 1];
                        a2 += c * params[jo + 2];
                        a3 += c * params[jo + 3];
                        a4 += c * params[jo + 4];
                        a5 += c * params[jo + 5];
                        a6 += c * params[jo + 6];
                        a7 += c * params[jo + 7];
                        grad[jo] += c * u0;
                        grad[jo + 1] += c * u1;
                        grad[jo + 2] += c * u2;
                        grad[jo + 3] += c * u3;
                        grad[jo + 4] += c * u4;
                        grad[jo + 5] += c * u5;
                        grad[jo + 6] += c * u6;
                        grad[jo + 7] += c * u7;
                    }
                    userGrad[bo + g] += a0;
                    userGrad[bo + g + 1] += a1;
                    userGrad[bo + g + 2] += a2;
                    userGrad[bo + g + 3] += a3;
                    userGrad[bo + g + 4] += a4;
                    userGrad[bo + g + 5] += a5;
                    userGrad[bo + g + 6] += a6;
                    userGrad[bo + g + 7] += a7;
                }
                for (int g = d8; g < d; g++) {
                    float u = userRows[bo + g];
                    float a = 0f;
                    for (int t = 0; t < m; t++) {
                        int jo = itemBase + pairs[p0 + t] * d + g;
                        float c = sc[t];
                        a += c * params[jo];
                        grad[jo] += c * u;
                    }
                    userGrad[bo + g] += a;
                }
                p0 = p1;
            }
        }
        return loss;
    }

    /**
     * {@code exp(-x)} for {@code x >= 0} in float: Cody–Waite reduction {@code -x = k·ln2 + r}, {@code |r| <= ln2/2},
     * degree-6 Taylor polynomial (relative error below 2e-7, i.e. about one float ulp), scaled by {@code 2^k}. 0 below
     * {@code e^-87}; NaN stays NaN. Inline arithmetic instead of a call to {@code Math.exp}: it runs once per negative.
     */
    static float expMinus(float x) {
        float y = -x;
        if (y < -87f) {
            return 0f;
        }
        float k = Math.round(y * 1.442695041f);
        float r = y - k * 0.693145751953125f - k * 1.428606765330187e-06f;
        float p = 1f + r * (1f + r * (0.5f + r * (0.16666667f + r * (0.041666668f + r * (0.008333334f
                + r * 0.0013888889f)))));
        return p * Float.intBitsToFloat(((int) k + 127) << 23);
    }

    /**
     * {@code log(1 + e)} for {@code e} in [0, 1] in float: {@code 2·atanh(z)}, {@code z = e/(2+e) <= 1/3}, series to
     * {@code z^13} (truncation error below 1e-8; with rounding within 3 float ulps).
     */
    static float log1pUnit(float e) {
        float z = e / (2f + e);
        float z2 = z * z;
        return 2f * z * (1f + z2 * (0.33333334f + z2 * (0.2f + z2 * (0.14285715f + z2 * (0.11111111f
                + z2 * (0.09090909f + z2 * 0.07692308f))))));
    }
}
