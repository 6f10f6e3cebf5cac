package io.concord.core.ultragcn;

import java.util.Arrays;

/**
 * The (batch row, negative item) pairs of one batch, reordered for the cache: a stable counting sort by item bucket
 * (a power-of-two range of item ids whose embedding and gradient rows fit L2), and within a bucket by batch row, so
 * every (bucket, row) run reuses one user's embedding. {@link #runEnd(int, int)} delimits the runs. Shared by the
 * scalar and the SIMD negative kernels; not thread-safe (owns its buffers).
 */
final class NegativePairs {

    private final int numItems;
    private final int bucketShift;
    private final int numBuckets;
    private final int[] bucketStart;
    private final int[] cursor;
    private int[] sorted = new int[0];
    private int[] runEnd = new int[0];
    private int count;

    NegativePairs(int numItems, int itemsPerBucket) {
        this.numItems = numItems;
        this.bucketShift = Integer.numberOfTrailingZeros(itemsPerBucket);
        this.numBuckets = ((numItems - 1) >> bucketShift) + 1;
        this.bucketStart = new int[numBuckets + 1];
        this.cursor = new int[numBuckets];
    }

    int numBuckets() {
        return numBuckets;
    }

    /** Item ids of all pairs, bucket-major, rows in order within a bucket. */
    int[] items() {
        return sorted;
    }

    /** Position in {@link #items()} where bucket {@code k} starts. */
    int bucketStart(int k) {
        return bucketStart[k];
    }

    /** Position in {@link #items()} where the run of (bucket {@code k}, row {@code b}) ends. */
    int runEnd(int k, int b) {
        return runEnd[k * count + b];
    }

    /** Sorts the {@code count × r} pairs of {@code negatives} (row-major). */
    void sort(int[] negatives, int count, int r) {
        this.count = count;
        int total = count * r;
        if (sorted.length < total) {
            sorted = new int[total];
        }
        if (runEnd.length < numBuckets * count) {
            runEnd = new int[numBuckets * count];
        }
        final int shift = bucketShift;
        final int nb = numBuckets;
        int[] start = bucketStart;
        Arrays.fill(start, 0);
        for (int t = 0; t < total; t++) {
            int j = negatives[t];
            if (j < 0 || j >= numItems) {
                throw new IllegalArgumentException("negative item " + j + " outside [0, " + numItems + ")");
            }
            start[(j >> shift) + 1]++;
        }
        for (int k = 0; k < nb; k++) {
            start[k + 1] += start[k];
        }
        int[] cur = cursor;
        System.arraycopy(start, 0, cur, 0, nb);
        int[] out = sorted;
        int[] ends = runEnd;
        for (int b = 0, t = 0; b < count; b++) {
            for (int end = t + r; t < end; t++) {
                int j = negatives[t];
                out[cur[j >> shift]++] = j;
            }
            for (int k = 0; k < nb; k++) {
                ends[k * count + b] = cur[k];
            }
        }
    }
}
