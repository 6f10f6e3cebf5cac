package io.concord.core.ultragcn;

import java.io.Serializable;

/**
 * The item–item neighbour rows of one contiguous block of items {@code [firstItem, firstItem + numRows)}: for each
 * item its {@code k} neighbour ids and weights ω, strongest first. The unit of work of a distributed neighbour-table
 * build; {@link ItemNeighbours#assemble} joins the blocks. Plain final class with arrays, for Kryo.
 */
public final class NeighbourRows implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int firstItem;
    private final int numRows;
    private final int k;
    private final int[] neighbours;
    private final float[] weights;

    public NeighbourRows(int firstItem, int numRows, int k, int[] neighbours, float[] weights) {
        if (neighbours.length != numRows * k || weights.length != numRows * k) {
            throw new IllegalArgumentException("expected " + numRows + " x " + k + " neighbours and weights, got "
                    + neighbours.length + " and " + weights.length);
        }
        this.firstItem = firstItem;
        this.numRows = numRows;
        this.k = k;
        this.neighbours = neighbours;
        this.weights = weights;
    }

    public int firstItem() {
        return firstItem;
    }

    public int numRows() {
        return numRows;
    }

    public int k() {
        return k;
    }

    /** Row-major {@code numRows × k} neighbour ids; shared, do not modify. */
    public int[] neighbours() {
        return neighbours;
    }

    /** Row-major {@code numRows × k} weights ω; shared, do not modify. */
    public float[] weights() {
        return weights;
    }
}
