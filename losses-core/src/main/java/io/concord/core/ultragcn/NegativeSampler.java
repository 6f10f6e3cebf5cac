package io.concord.core.ultragcn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws UltraGCN's negatives exactly as the official {@code Sampling} does, in distribution: {@code R} item ids per
 * positive, independently and uniformly, with replacement; either from all items, or (with
 * {@code sampling_sift_pos}) uniformly from the items not in the user's train set, which is what the official
 * per-user {@code np.random.choice(p = …)} with the train items zeroed draws. Here that is rejection sampling, which is
 * exactly uniform on the complement.
 */
public final class NegativeSampler {

    private final int numItems;
    private final Adjacency exclude;

    /**
     * @param numItems number of items
     * @param exclude  user × item train matrix whose rows are excluded, or {@code null} to draw from all items
     */
    public NegativeSampler(int numItems, Adjacency exclude) {
        if (numItems <= 0) {
            throw new IllegalArgumentException("numItems must be > 0, got " + numItems);
        }
        if (exclude != null && exclude.numColumns() != numItems) {
            throw new IllegalArgumentException("exclusion matrix has " + exclude.numColumns() + " columns, expected "
                    + numItems);
        }
        this.numItems = numItems;
        this.exclude = exclude;
    }

    /**
     * Fills {@code out[b * r + t]} for {@code b < count}, {@code t < r} with the negatives of positive {@code b}
     * (user {@code users[b]}), drawing in that order from {@code random}.
     */
    public void draw(int[] users, int count, int r, SplittableRandom random, int[] out) {
        int n = numItems;
        if (exclude == null) {
            for (int t = 0, end = count * r; t < end; t++) {
                out[t] = random.nextInt(n);
            }
            return;
        }
        int[] cols = exclude.columnArray();
        for (int b = 0, t = 0; b < count; b++) {
            int u = users[b];
            int from = exclude.rowStart(u);
            int to = exclude.rowEnd(u);
            if (to - from >= n) {
                throw new IllegalStateException("user " + u + " has all " + n
                        + " items in train; no negative can be drawn with sampling_sift_pos");
            }
            for (int k = 0; k < r; k++, t++) {
                int j;
                do {
                    j = random.nextInt(n);
                } while (to > from && Arrays.binarySearch(cols, from, to, j) >= 0);
                out[t] = j;
            }
        }
    }

    public boolean excludesPositives() {
        return exclude != null;
    }
}
