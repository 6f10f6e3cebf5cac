package io.concord.data.graph;

import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.core.util.Seeds;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.HashSet;

/**
 * Generates interaction graphs with latent clusters and power-law degrees, deterministic for a seed:
 * <ul>
 *   <li>every item gets a cluster and a Zipf popularity {@code rank^-s} (ranks a seeded permutation), every user a
 *       cluster, both uniformly;</li>
 *   <li>user degrees are discrete Pareto with exponent α, scaled to the requested mean and capped at half the items;
 *       </li>
 *   <li>each interaction picks, with probability {@code clusterAffinity}, an item of the user's cluster, otherwise any
 *       item, by popularity; repeats are redrawn;</li>
 *   <li>{@link PerUserSplit} then holds out {@code testFraction} of each user's items.</li>
 * </ul>
 * A user's interactions depend only on (seed, user), so the graph is the same however it is produced.
 */
public final class SyntheticInteractionGraphs {

    private SyntheticInteractionGraphs() {
    }

    public static InteractionGraph generate(SyntheticGraphSpec spec, long seed) {
        return PerUserSplit.split(interactions(spec, seed), spec.testFraction(), Seeds.mix(seed, 0x7E57L));
    }

    /** All interactions before the split, users × items. */
    public static Adjacency interactions(SyntheticGraphSpec spec, long seed) {
        int ni = spec.numItems();
        int nc = spec.numClusters();
        SplittableRandom itemRandom = Seeds.stream(seed, 0x17E5L);
        int[] rank = Seeds.permutation(ni, itemRandom);
        int[] itemCluster = new int[ni];
        double[] popularity = new double[ni];
        for (int i = 0; i < ni; i++) {
            itemCluster[i] = itemRandom.nextInt(nc);
            popularity[i] = Math.pow(rank[i] + 1.0, -spec.popularityExponent());
        }
        // cumulative popularity, globally and per cluster (items of a cluster listed contiguously)
        double[] globalCdf = cumulative(popularity, identity(ni));
        int[] clusterStart = new int[nc + 1];
        for (int c : itemCluster) {
            clusterStart[c + 1]++;
        }
        for (int c = 0; c < nc; c++) {
            clusterStart[c + 1] += clusterStart[c];
        }
        int[] byCluster = new int[ni];
        int[] fill = Arrays.copyOf(clusterStart, nc);
        for (int i = 0; i < ni; i++) {
            byCluster[fill[itemCluster[i]]++] = i;
        }
        double[] clusterCdf = new double[ni];
        for (int c = 0; c < nc; c++) {
            double acc = 0;
            for (int p = clusterStart[c]; p < clusterStart[c + 1]; p++) {
                acc += popularity[byCluster[p]];
                clusterCdf[p] = acc;
            }
        }

        double alpha = spec.degreeExponent();
        double minDegree = spec.meanDegree() * (alpha - 2) / (alpha - 1);
        int maxDegree = ni / 2;
        int nu = spec.numUsers();
        int[][] rows = new int[nu][];
        long total = 0;
        for (int u = 0; u < nu; u++) {
            SplittableRandom r = Seeds.stream(seed, 0x05E2L, u);
            int cluster = r.nextInt(nc);
            double pareto = minDegree * Math.pow(1.0 - r.nextDouble(), -1.0 / (alpha - 1));
            int degree = (int) Math.max(1, Math.min(maxDegree, Math.round(pareto)));
            int from = clusterStart[cluster];
            int to = clusterStart[cluster + 1];
            int[] items = new int[degree];
            HashSet<Integer> seen = new HashSet<>(degree * 2);
            int n = 0;
            int attempts = 0;
            while (n < degree && attempts < 50 * degree) {
                attempts++;
                int item;
                if (to > from && r.nextDouble() < spec.clusterAffinity()) {
                    item = byCluster[draw(clusterCdf, from, to, r)];
                } else {
                    item = draw(globalCdf, 0, ni, r);
                }
                if (seen.add(item)) {
                    items[n++] = item;
                }
            }
            rows[u] = Arrays.copyOf(items, n);
            Arrays.sort(rows[u]);
            total += n;
        }
        int[] offsets = new int[nu + 1];
        int[] cols = new int[Math.toIntExact(total)];
        for (int u = 0; u < nu; u++) {
            System.arraycopy(rows[u], 0, cols, offsets[u], rows[u].length);
            offsets[u + 1] = offsets[u] + rows[u].length;
        }
        return new Adjacency(nu, ni, offsets, cols);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static double[] cumulative(double[] w, int[] order) {
        double[] c = new double[order.length];
        double acc = 0;
        for (int p = 0; p < order.length; p++) {
            acc += w[order[p]];
            c[p] = acc;
        }
        return c;
    }

    /** Index p in [from, to) with probability proportional to cdf[p] − cdf[p−1] (cdf restarts at from). */
    private static int draw(double[] cdf, int from, int to, SplittableRandom r) {
        double x = r.nextDouble() * cdf[to - 1];
        int lo = from;
        int hi = to - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
