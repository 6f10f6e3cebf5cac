package io.concord.core.metric;

/**
 * Exact, deterministic top-k selection over one score row, skipping excluded columns.
 *
 * <p>Order: higher score first; equal scores rank the LOWER column id first; NaN ranks above every number (as in
 * {@code torch.topk}, which treats NaN as the largest value); {@code -0.0 == 0.0}. {@code torch.topk} does not
 * specify which of several equal scores it returns (the official evaluation therefore breaks ties arbitrarily); this
 * rule makes the result a pure function of the scores.
 *
 * <p>Cost {@code O(n + h·log k)} for a row of n scores, h of which enter the heap; no allocation after construction.
 * Not thread-safe: one instance per thread.
 */
public final class TopK {

    private final int k;
    private final float[] heapScore;
    private final int[] heapId;

    public TopK(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be > 0, got " + k);
        }
        this.k = k;
        this.heapScore = new float[k];
        this.heapId = new int[k];
    }

    public int k() {
        return k;
    }

    /**
     * Writes the ids of the best {@code min(k, candidates)} columns of {@code scores[offset .. offset+n)} into
     * {@code out}, best first, and returns how many were written. Column ids are {@code 0..n-1}.
     *
     * @param excluded sorted, distinct column ids to skip (e.g. the user's train items); may be null
     * @param exFrom   start of the excluded ids in {@code excluded}
     * @param exTo     end (exclusive)
     */
    public int select(float[] scores, int offset, int n, int[] excluded, int exFrom, int exTo, int[] out) {
        int size = 0;
        int ex = excluded == null ? exTo : exFrom;
        int nextEx = ex < exTo ? excluded[ex] : Integer.MAX_VALUE;
        for (int j = 0; j < n; j++) {
            if (j == nextEx) {
                ex++;
                nextEx = ex < exTo ? excluded[ex] : Integer.MAX_VALUE;
                continue;
            }
            float s = scores[offset + j];
            if (size < k) {
                heapScore[size] = s;
                heapId[size] = j;
                siftUp(size++);
            } else if (greater(s, heapScore[0])) {
                // ids arrive in increasing order, so an equal score never beats the heap's worst entry
                heapScore[0] = s;
                heapId[0] = j;
                siftDown(0, k);
            }
        }
        // heap sort: repeatedly move the worst to the end
        for (int end = size - 1; end > 0; end--) {
            swap(0, end);
            siftDown(0, end);
        }
        for (int r = 0; r < size; r++) {
            out[r] = heapId[r];
        }
        return size;
    }

    /** Strictly greater in the ranking order of scores alone (NaN largest). */
    private static boolean greater(float a, float b) {
        if (a != a) {
            return b == b;
        }
        return a > b;
    }

    /** Whether entry x ranks below entry y (x is "worse"): lower score, or equal score and larger id. */
    private boolean worse(int x, int y) {
        float a = heapScore[x];
        float b = heapScore[y];
        if (greater(b, a)) {
            return true;
        }
        if (greater(a, b)) {
            return false;
        }
        return heapId[x] > heapId[y];
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i, int size) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int r = l + 1;
            int w = r < size && worse(r, l) ? r : l;
            if (!worse(w, i)) {
                return;
            }
            swap(i, w);
            i = w;
        }
    }

    private void swap(int a, int b) {
        float s = heapScore[a];
        heapScore[a] = heapScore[b];
        heapScore[b] = s;
        int t = heapId[a];
        heapId[a] = heapId[b];
        heapId[b] = t;
    }
}
