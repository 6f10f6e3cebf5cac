package io.concord.core.ultragcn;

import java.io.Serializable;
import java.util.Collection;

/**
 * The item–item constraint table of UltraGCN: for every item {@code i} its top-{@code k} neighbours {@code S(i)} and
 * weights {@code ω(i,j)} (the official {@code ii_neighbor_mat} and {@code ii_constraint_mat}). Row-major
 * {@code numItems × k} arrays; weight 0 marks padding (an item with fewer than {@code k} co-occurring items).
 */
public final class ItemNeighbours implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int numItems;
    private final int k;
    private final int[] neighbours;
    private final float[] weights;

    public ItemNeighbours(int numItems, int k, int[] neighbours, float[] weights) {
        if (k < 0 || neighbours.length != (long) numItems * k || weights.length != (long) numItems * k) {
            throw new IllegalArgumentException("expected " + numItems + " x " + k + " neighbours and weights, got "
                    + neighbours.length + " and " + weights.length);
        }
        for (int n : neighbours) {
            if (n < 0 || n >= numItems) {
                throw new IllegalArgumentException("neighbour id " + n + " outside [0, " + numItems + ")");
            }
        }
        this.numItems = numItems;
        this.k = k;
        this.neighbours = neighbours;
        this.weights = weights;
    }

    /** A table with no neighbours (k = 0): the item–item loss vanishes. */
    public static ItemNeighbours none(int numItems) {
        return new ItemNeighbours(numItems, 0, new int[0], new float[0]);
    }

    /**
     * Joins blocks that together cover {@code [0, numItems)} exactly once (in any order), e.g. the collected results
     * of {@link ItemNeighbourBuilder#computeBlock} over item ranges.
     */
    public static ItemNeighbours assemble(int numItems, int k, Collection<NeighbourRows> blocks) {
        int[] nb = new int[numItems * k];
        float[] w = new float[numItems * k];
        boolean[] seen = new boolean[numItems];
        for (NeighbourRows block : blocks) {
            if (block.k() != k) {
                throw new IllegalArgumentException("block at item " + block.firstItem() + " has k=" + block.k()
                        + ", expected " + k);
            }
            int first = block.firstItem();
            if (first < 0 || first + block.numRows() > numItems) {
                throw new IllegalArgumentException("block [" + first + ", " + (first + block.numRows())
                        + ") outside [0, " + numItems + ")");
            }
            for (int r = 0; r < block.numRows(); r++) {
                if (seen[first + r]) {
                    throw new IllegalArgumentException("item " + (first + r) + " is covered by two blocks");
                }
                seen[first + r] = true;
            }
            System.arraycopy(block.neighbours(), 0, nb, first * k, block.numRows() * k);
            System.arraycopy(block.weights(), 0, w, first * k, block.numRows() * k);
        }
        for (int i = 0; i < numItems; i++) {
            if (!seen[i]) {
                throw new IllegalArgumentException("item " + i + " is covered by no block");
            }
        }
        return new ItemNeighbours(numItems, k, nb, w);
    }

    public int numItems() {
        return numItems;
    }

    public int k() {
        return k;
    }

    public int neighbour(int item, int n) {
        return neighbours[item * k + n];
    }

    public float weight(int item, int n) {
        return weights[item * k + n];
    }

    /** Row-major {@code numItems × k}; shared, do not modify. */
    public int[] neighbourArray() {
        return neighbours;
    }

    /** Row-major {@code numItems × k}; shared, do not modify. */
    public float[] weightArray() {
        return weights;
    }
}
