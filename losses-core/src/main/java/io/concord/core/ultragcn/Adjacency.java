package io.concord.core.ultragcn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A binary sparse matrix in compressed-row form: row {@code r} holds the strictly increasing column ids
 * {@code columns[offsets[r] .. offsets[r+1])}. Used for user→items and item→users adjacency of an interaction graph.
 * Immutable once built; plain arrays so it travels cheaply through Java serialization and Kryo.
 */
public final class Adjacency implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int numRows;
    private final int numColumns;
    private final int[] offsets;
    private final int[] columns;

    /**
     * Wraps the arrays (no copy) after checking them: offsets non-decreasing from 0 to {@code columns.length}, every
     * row strictly increasing and inside {@code [0, numColumns)}.
     */
    public Adjacency(int numRows, int numColumns, int[] offsets, int[] columns) {
        if (numRows < 0 || numColumns < 0) {
            throw new IllegalArgumentException("numRows and numColumns must be >= 0, got " + numRows + ", "
                    + numColumns);
        }
        if (offsets.length != numRows + 1 || offsets[0] != 0 || offsets[numRows] != columns.length) {
            throw new IllegalArgumentException("offsets must have length numRows + 1 = " + (numRows + 1)
                    + ", start at 0 and end at columns.length = " + columns.length);
        }
        for (int r = 0; r < numRows; r++) {
            int from = offsets[r];
            int to = offsets[r + 1];
            if (to < from) {
                throw new IllegalArgumentException("offsets decrease at row " + r);
            }
            for (int p = from; p < to; p++) {
                int c = columns[p];
                if (c < 0 || c >= numColumns) {
                    throw new IllegalArgumentException("row " + r + ": column " + c + " outside [0, " + numColumns
                            + ")");
                }
                if (p > from && c <= columns[p - 1]) {
                    throw new IllegalArgumentException("row " + r + ": columns must be strictly increasing, got "
                            + columns[p - 1] + " then " + c);
                }
            }
        }
        this.numRows = numRows;
        this.numColumns = numColumns;
        this.offsets = offsets;
        this.columns = columns;
    }

    /**
     * Builds from unsorted, possibly duplicated (row, column) pairs; duplicates collapse to one entry (the matrix is
     * binary, like the official code's {@code train_mat}).
     */
    public static Adjacency fromPairs(int numRows, int numColumns, int[] rows, int[] cols, int count) {
        int[] counts = new int[numRows + 1];
        for (int p = 0; p < count; p++) {
            int r = rows[p];
            if (r < 0 || r >= numRows) {
                throw new IllegalArgumentException("row " + r + " outside [0, " + numRows + ")");
            }
            if (cols[p] < 0 || cols[p] >= numColumns) {
                throw new IllegalArgumentException("column " + cols[p] + " outside [0, " + numColumns + ")");
            }
            counts[r + 1]++;
        }
        for (int r = 0; r < numRows; r++) {
            counts[r + 1] += counts[r];
        }
        int[] fill = Arrays.copyOf(counts, numRows);
        int[] raw = new int[count];
        for (int p = 0; p < count; p++) {
            raw[fill[rows[p]]++] = cols[p];
        }
        int[] offsets = new int[numRows + 1];
        int out = 0;
        for (int r = 0; r < numRows; r++) {
            int from = counts[r];
            int to = counts[r + 1];
            Arrays.sort(raw, from, to);
            offsets[r] = out;
            for (int p = from; p < to; p++) {
                if (p == from || raw[p] != raw[p - 1]) {
                    raw[out++] = raw[p];
                }
            }
        }
        offsets[numRows] = out;
        return new Adjacency(numRows, numColumns, offsets, out == count ? raw : Arrays.copyOf(raw, out));
    }

    /** An empty matrix of the given shape. */
    public static Adjacency empty(int numRows, int numColumns) {
        return new Adjacency(numRows, numColumns, new int[numRows + 1], new int[0]);
    }

    public int numRows() {
        return numRows;
    }

    public int numColumns() {
        return numColumns;
    }

    /** Number of stored entries. */
    public int nnz() {
        return columns.length;
    }

    public int degree(int row) {
        return offsets[row + 1] - offsets[row];
    }

    /** Start of {@code row} in {@link #columnArray()}. */
    public int rowStart(int row) {
        return offsets[row];
    }

    /** End (exclusive) of {@code row} in {@link #columnArray()}. */
    public int rowEnd(int row) {
        return offsets[row + 1];
    }

    /** The shared column array; do not modify. */
    public int[] columnArray() {
        return columns;
    }

    /** The shared offsets array; do not modify. */
    public int[] offsetArray() {
        return offsets;
    }

    /** A copy of row {@code row}'s columns. */
    public int[] row(int row) {
        return Arrays.copyOfRange(columns, offsets[row], offsets[row + 1]);
    }

    public boolean contains(int row, int column) {
        return Arrays.binarySearch(columns, offsets[row], offsets[row + 1], column) >= 0;
    }

    /** Row degrees (row sums of the binary matrix). */
    public int[] degrees() {
        int[] d = new int[numRows];
        for (int r = 0; r < numRows; r++) {
            d[r] = offsets[r + 1] - offsets[r];
        }
        return d;
    }

    /** Column degrees (column sums of the binary matrix). */
    public int[] columnDegrees() {
        int[] d = new int[numColumns];
        for (int c : columns) {
            d[c]++;
        }
        return d;
    }

    /** The transpose (columns become rows), rows again strictly increasing. */
    public Adjacency transpose() {
        int[] tOffsets = new int[numColumns + 1];
        for (int c : columns) {
            tOffsets[c + 1]++;
        }
        for (int c = 0; c < numColumns; c++) {
            tOffsets[c + 1] += tOffsets[c];
        }
        int[] fill = Arrays.copyOf(tOffsets, numColumns);
        int[] tColumns = new int[columns.length];
        for (int r = 0; r < numRows; r++) {
            for (int p = offsets[r]; p < offsets[r + 1]; p++) {
                tColumns[fill[columns[p]]++] = r;
            }
        }
        return new Adjacency(numColumns, numRows, tOffsets, tColumns);
    }

    /** The same entries with {@code numRows}/{@code numColumns} enlarged (new rows empty). */
    public Adjacency resize(int newNumRows, int newNumColumns) {
        if (newNumRows < numRows || newNumColumns < numColumns) {
            throw new IllegalArgumentException("cannot shrink " + numRows + "x" + numColumns + " to " + newNumRows
                    + "x" + newNumColumns);
        }
        int[] o = Arrays.copyOf(offsets, newNumRows + 1);
        Arrays.fill(o, numRows + 1, newNumRows + 1, columns.length);
        return new Adjacency(newNumRows, newNumColumns, o, columns);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Adjacency other && numRows == other.numRows && numColumns == other.numColumns
                && Arrays.equals(offsets, other.offsets) && Arrays.equals(columns, other.columns);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * numRows + numColumns) + Arrays.hashCode(columns);
    }

    @Override
    public String toString() {
        return "Adjacency[" + numRows + " x " + numColumns + ", nnz=" + columns.length + "]";
    }
}
