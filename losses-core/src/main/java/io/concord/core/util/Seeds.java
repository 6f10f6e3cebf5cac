package io.concord.core.util;

import java.util.SplittableRandom;

/**
 * Deterministic seed derivation. Every random stream in Concord is a pure function of the run seed and counters
 * (round, step, partition), so task retries, speculative attempts and resumed runs see identical randomness.
 */
public final class Seeds {

    private Seeds() {
    }

    /** SplitMix64 finaliser: a bijective, well-mixed 64-bit hash. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Combines a seed with any number of counters into a new seed. */
    public static long mix(long seed, long... counters) {
        long h = mix64(seed + 0x9E3779B97F4A7C15L);
        for (long c : counters) {
            h = mix64(h ^ (c + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2)));
        }
        return h;
    }

    public static SplittableRandom stream(long seed, long... counters) {
        return new SplittableRandom(mix(seed, counters));
    }

    /** A standard normal draw (Box–Muller, one of the pair). */
    public static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Fisher–Yates permutation of {@code 0..n-1}. */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
