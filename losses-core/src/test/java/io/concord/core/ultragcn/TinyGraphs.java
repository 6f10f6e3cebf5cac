package io.concord.core.ultragcn;

/** Small hand-made graphs shared by the UltraGCN tests. */
final class TinyGraphs {

    private TinyGraphs() {
    }

    /**
     * 5 users × 8 items. Item 7 has no train interaction (seen only in test); user 4 has a single train item.
     */
    static final int[][] TRAIN = {
            {0, 1, 2},
            {1, 2, 3, 4},
            {0, 2, 5},
            {3, 4, 5, 6},
            {6},
    };

    static final int[][] TEST = {
            {3},
            {0, 7},
            {1},
            {},
            {2, 7},
    };

    static Adjacency adjacency(int[][] rows, int numItems) {
        int n = 0;
        for (int[] r : rows) {
            n += r.length;
        }
        int[] us = new int[n];
        int[] is = new int[n];
        int p = 0;
        for (int u = 0; u < rows.length; u++) {
            for (int i : rows[u]) {
                us[p] = u;
                is[p++] = i;
            }
        }
        return Adjacency.fromPairs(rows.length, numItems, us, is, n);
    }

    static InteractionGraph graph() {
        return new InteractionGraph(adjacency(TRAIN, 8), adjacency(TEST, 8));
    }

    static boolean[][] dense(Adjacency a) {
        boolean[][] m = new boolean[a.numRows()][a.numColumns()];
        for (int u = 0; u < a.numRows(); u++) {
            for (int i : a.row(u)) {
                m[u][i] = true;
            }
        }
        return m;
    }
}
