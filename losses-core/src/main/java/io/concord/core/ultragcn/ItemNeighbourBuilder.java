package io.concord.core.ultragcn;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the item–item neighbour table of UltraGCN (§1.4 of the reference) without any dense
 * {@code n_items × n_items} matrix.
 *
 * <p>With {@code A} the binary user × item train matrix and {@code G = AᵀA} (diagonal kept, {@code G_ii = d_i}), the
 * official code computes row sums {@code g_i = Σ_j G_ij} and
 * {@code ω(i,j) = G_ij · sqrt(g_i + 1)/g_i · 1/sqrt(g_j + 1)}, then keeps the top-{@code k} columns of each row by
 * ω, the item itself included. Here {@code g_i = Σ_{u ∋ i} d_u} comes straight from the adjacency, and each row of
 * {@code G} is accumulated sparsely from the item's users' item lists into a reusable counter array, so memory is
 * {@code O(n_items)} per worker plus the {@code n_items × k} output, and time is {@code Σ_u d_u²}.
 *
 * <p>Top-k order: weight descending, ties by LOWER item id first. Rows with fewer than {@code k} co-occurring items
 * are padded with weight-0 entries taken from the lowest item ids not already chosen, i.e. the same rule applied to
 * the full row ({@code torch.topk} picks arbitrary columns among equal values; a weight-0 neighbour contributes
 * nothing to the loss, so the choice does not matter). ω is computed in double and stored as float; the official
 * code computes it in float32, so two neighbours whose weights agree to float precision may be ordered differently.
 *
 * <p>Items without train interactions ({@code g_i = 0}) get an all-zero row. The official code produces a NaN row for
 * them ({@code inf · 0}); such rows are never read, because only train items are positives.
 */
public final class ItemNeighbourBuilder {

    private ItemNeighbourBuilder() {
    }

    /** {@code g_i = Σ_j G_ij = Σ_{u ∋ i} d_u} for every item (exact in double up to 2^53). */
    public static double[] coOccurrenceRowSums(Adjacency userItems) {
        double[] g = new double[userItems.numColumns()];
        int[] cols = userItems.columnArray();
        for (int u = 0; u < userItems.numRows(); u++) {
            int from = userItems.rowStart(u);
            int to = userItems.rowEnd(u);
            double d = to - from;
            for (int p = from; p < to; p++) {
                g[cols[p]] += d;
            }
        }
        return g;
    }

    /** The whole table on one machine, block by block. */
    public static ItemNeighbours computeAll(Adjacency userItems, int k) {
        Adjacency itemUsers = userItems.transpose();
        double[] g = coOccurrenceRowSums(userItems);
        int n = userItems.numColumns();
        int blockSize = 4096;
        List<NeighbourRows> blocks = new ArrayList<>();
        for (int from = 0; from < n; from += blockSize) {
            blocks.add(computeBlock(from, Math.min(n, from + blockSize), userItems, itemUsers, g, k));
        }
        return ItemNeighbours.assemble(n, k, blocks);
    }

    /**
     * The neighbour rows of items {@code [from, to)}: the per-block function of a distributed build. Needs the
     * user→items adjacency, its transpose (item→users) and {@link #coOccurrenceRowSums} of the whole graph; all three
     * are read-only and can be broadcast.
     */
    public static NeighbourRows computeBlock(int from, int to, Adjacency userItems, Adjacency itemUsers,
                                             double[] rowSums, int k) {
        int n = userItems.numColumns();
        if (itemUsers.numRows() != n || itemUsers.numColumns() != userItems.numRows() || rowSums.length != n) {
            throw new IllegalArgumentException("itemUsers must be the transpose of userItems and rowSums must have "
                    + n + " entries");
        }
        if (from < 0 || to > n || from > to) {
            throw new IllegalArgumentException("block [" + from + ", " + to + ") outside [0, " + n + "]");
        }
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("k must be in [0, " + n + "], got " + k);
        }
        int rows = to - from;
        int[] outIds = new int[rows * k];
        float[] outW = new float[rows * k];
        int[] counts = new int[n];
        int[] touched = new int[n];
        double[] colScale = new double[n];
        for (int j = 0; j < n; j++) {
            colScale[j] = 1.0 / Math.sqrt(rowSums[j] + 1.0);
        }
        double[] topW = new double[k];
        int[] topId = new int[k];
        int[] userCols = userItems.columnArray();
        int[] itemCols = itemUsers.columnArray();
        for (int i = from; i < to; i++) {
            int numTouched = 0;
            for (int p = itemUsers.rowStart(i); p < itemUsers.rowEnd(i); p++) {
                int u = itemCols[p];
                for (int q = userItems.rowStart(u); q < userItems.rowEnd(u); q++) {
                    int j = userCols[q];
                    if (counts[j]++ == 0) {
                        touched[numTouched++] = j;
                    }
                }
            }
            double gi = rowSums[i];
            double rowScale = gi > 0 ? Math.sqrt(gi + 1.0) / gi : 0.0;
            int size = 0;
            for (int t = 0; t < numTouched; t++) {
                int j = touched[t];
                double w = counts[j] * rowScale * colScale[j];
                size = offer(topW, topId, size, k, w, j);
            }
            int base = (i - from) * k;
            for (int r = 0; r < size; r++) {
                outIds[base + r] = topId[r];
                outW[base + r] = (float) topW[r];
            }
            // Padding: lowest ids with G_ij = 0 (weight 0), ascending.
            for (int j = 0, r = size; r < k; j++) {
                if (counts[j] == 0) {
                    outIds[base + r] = j;
                    outW[base + r] = 0f;
                    r++;
                }
            }
            for (int t = 0; t < numTouched; t++) {
                counts[touched[t]] = 0;
            }
        }
        return new NeighbourRows(from, rows, k, outIds, outW);
    }

    /**
     * Inserts (w, id) into the descending list {@code topW/topId} of current length {@code size} (capacity k) if it
     * belongs in the top k under (weight desc, id asc); returns the new length.
     */
    private static int offer(double[] topW, int[] topId, int size, int k, double w, int id) {
        if (k == 0) {
            return 0;
        }
        if (size == k && !better(w, id, topW[k - 1], topId[k - 1])) {
            return size;
        }
        int pos = size == k ? k - 1 : size;
        while (pos > 0 && better(w, id, topW[pos - 1], topId[pos - 1])) {
            topW[pos] = topW[pos - 1];
            topId[pos] = topId[pos - 1];
            pos--;
        }
        topW[pos] = w;
        topId[pos] = id;
        return size == k ? k : size + 1;
    }

    private static boolean better(double w, int id, double otherW, int otherId) {
        return w > otherW || (w == otherW && id < otherId);
    }
}
