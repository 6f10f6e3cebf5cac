package io.concord.core.moe;

import io.concord.core.stat.GlobalStatistic;
import io.concord.core.stat.LongVectorSum;

/**
 * The expert-count statistic of the load-balancing loss: the only thing global-batch balancing communicates
 * (Qiu et al. §3: synchronise f, keep P local). A {@link LongVectorSum} named {@value #NAME} with layout
 * {@code [c_{0,0} … c_{0,N_E−1}, c_{1,0} …, c_{L−1,N_E−1}, T]}: per MoE layer the number of routed tokens whose
 * top-K contains each expert, then the number T of routed tokens. Integer sums, so merging is exact and
 * order-independent. Every layer satisfies {@code Σ_i c_{l,i} = K·T}.
 */
public final class ExpertCounts {

    public static final String NAME = "moe.expertCounts";

    private ExpertCounts() {
    }

    /** The statistic for {@code config}, with the freshness its balance mode needs. */
    public static LongVectorSum statistic(MoeConfig config) {
        return new LongVectorSum(NAME, config.numLayers() * config.numExperts() + 1,
                config.balance().countsFreshness());
    }

    /** Same layout, another freshness (e.g. {@link GlobalStatistic.Freshness#REPORT_ONLY} for logging). */
    public static LongVectorSum statistic(MoeConfig config, GlobalStatistic.Freshness freshness) {
        return new LongVectorSum(NAME, config.numLayers() * config.numExperts() + 1, freshness);
    }

    /** Adds one routed token's top-K selections (all layers) into {@code counts}. */
    static void add(long[] counts, int[][] topPerLayer, int numExperts) {
        for (int l = 0; l < topPerLayer.length; l++) {
            for (int e : topPerLayer[l]) {
                counts[l * numExperts + e]++;
            }
        }
        counts[counts.length - 1]++;
    }

    /** Number of routed tokens T. */
    public static long tokens(long[] counts) {
        return counts[counts.length - 1];
    }

    /**
     * Throws unless the merged counts of a two-pass round cover exactly the round's total weight W (the sum of
     * the loss pass's {@code BatchLoss.weight}): the model gives every routed token weight 1, so T = W unless a
     * partition was counted twice (a retried task whose contribution was merged again) or not at all in one of
     * the two passes. A cheap check for the engine to run after each round.
     */
    public static void checkCovers(long[] merged, double totalWeight) {
        long t = tokens(merged);
        if (t != totalWeight) {
            throw new IllegalStateException("statistic '" + NAME + "' counts " + t + " routed tokens but the loss "
                    + "pass weighed " + totalWeight + ": a partition was counted twice or missed");
        }
    }

    /**
     * Selection fractions {@code f_{l,i} = c_{l,i} / (K·T)} of layer {@code layer} (they sum to 1; all zero when
     * T = 0). Checks the layout and the invariant {@code Σ_i c_{l,i} = K·T}, which a double-counted or truncated
     * merge would break.
     */
    public static double[] fractions(long[] counts, MoeConfig config, int layer) {
        int ne = config.numExperts();
        int expected = config.numLayers() * ne + 1;
        if (counts.length != expected) {
            throw new IllegalArgumentException("statistic '" + NAME + "' has length " + counts.length
                    + ", the model (moe.layers=" + config.numLayers() + ", moe.experts=" + ne + ") needs " + expected);
        }
        long t = tokens(counts);
        long sum = 0;
        for (int i = 0; i < ne; i++) {
            long c = counts[layer * ne + i];
            if (c < 0) {
                throw new IllegalArgumentException("statistic '" + NAME + "' has a negative count " + c);
            }
            sum += c;
        }
        if (sum != (long) config.topK() * t) {
            throw new IllegalArgumentException("statistic '" + NAME + "' is inconsistent: layer " + layer
                    + " counts sum to " + sum + " but K·T = " + config.topK() + "·" + t);
        }
        double[] f = new double[ne];
        if (t == 0) {
            return f;
        }
        double denom = (double) config.topK() * t;
        for (int i = 0; i < ne; i++) {
            f[i] = counts[layer * ne + i] / denom;
        }
        return f;
    }
}
