package io.concord.data.graph;

import io.concord.core.param.ParamException;
import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.core.util.Seeds;

import java.util.SplittableRandom;
import java.util.Arrays;

/**
 * Splits each user's interactions at random into train and test, the way the LightGCN-style splits hold out a fraction
 * of every user's items: {@code round(testFraction · d)} test items, but always at least one train item (a user with
 * one interaction keeps it in train). Deterministic for a seed, independent of the order users are processed in.
 */
public final class PerUserSplit {

    private PerUserSplit() {
    }

    public static InteractionGraph split(Adjacency all, double testFraction, long seed) {
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new ParamException("data.testFraction", "must be in [0, 1), got " + testFraction);
        }
        int users = all.numRows();
        int[] cols = all.columnArray();
        int[] trainOffsets = new int[users + 1];
        int[] testOffsets = new int[users + 1];
        int[] trainCols = new int[all.nnz()];
        int[] testCols = new int[all.nnz()];
        int nTrain = 0;
        int nTest = 0;
        for (int u = 0; u < users; u++) {
            int from = all.rowStart(u);
            int d = all.rowEnd(u) - from;
            int t = Math.min(d - 1, (int) Math.round(testFraction * d));
            boolean[] inTest = new boolean[d];
            if (t > 0) {
                SplittableRandom random = Seeds.stream(seed, 0x5B117L, u);
                int[] perm = Seeds.permutation(d, random);
                for (int k = 0; k < t; k++) {
                    inTest[perm[k]] = true;
                }
            }
            for (int p = 0; p < d; p++) {
                if (inTest[p]) {
                    testCols[nTest++] = cols[from + p];
                } else {
                    trainCols[nTrain++] = cols[from + p];
                }
            }
            trainOffsets[u + 1] = nTrain;
            testOffsets[u + 1] = nTest;
        }
        return new InteractionGraph(
                new Adjacency(users, all.numColumns(), trainOffsets, Arrays.copyOf(trainCols, nTrain)),
                new Adjacency(users, all.numColumns(), testOffsets, Arrays.copyOf(testCols, nTest)));
    }
}
