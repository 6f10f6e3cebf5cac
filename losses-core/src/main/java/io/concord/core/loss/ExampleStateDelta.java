package io.concord.core.loss;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;

/**
 * New per-example state rows produced during one round: (example index, step, row) entries. Merging concatenates;
 * {@link #applyTo} resolves an example updated more than once by keeping the entry of the latest step (ties: the
 * lexicographically largest row), so the result does not depend on the order partitions were merged in.
 */
public final class ExampleStateDelta implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int width;
    private long[] ids;
    private long[] steps;
    private double[] rows;
    private int size;
    private boolean compacted;

    public ExampleStateDelta(int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("example state width must be > 0, got " + width);
        }
        this.width = width;
        this.ids = new long[8];
        this.steps = new long[8];
        this.rows = new double[8 * width];
    }

    public int width() {
        return width;
    }

    public int size() {
        return size;
    }

    /** Records the new state of {@code exampleIds[i]} = {@code newRows[i·w .. i·w + w)} computed at {@code step}. */
    public void add(long[] exampleIds, long step, double[] newRows) {
        compacted = false;
        if (newRows.length < exampleIds.length * width) {
            throw new IllegalArgumentException("example state delta: " + newRows.length + " values for "
                    + exampleIds.length + " rows of width " + width);
        }
        for (int i = 0; i < exampleIds.length; i++) {
            append(exampleIds[i], step, newRows, i * width);
        }
    }

    /** Appends every entry of {@code other} (the monoid operation). */
    public ExampleStateDelta addAll(ExampleStateDelta other) {
        compacted = false;
        if (other.width != width) {
            throw new IllegalArgumentException("example state delta: width " + other.width + " merged into width "
                    + width);
        }
        for (int i = 0; i < other.size; i++) {
            append(other.ids[i], other.steps[i], other.rows, i * width);
        }
        return this;
    }

    public ExampleStateDelta copy() {
        ExampleStateDelta c = new ExampleStateDelta(width);
        return c.addAll(this);
    }

    /** Writes every recorded row into {@code table}; see the class comment for repeated examples. */
    public void applyTo(ExampleStateTable table) {
        if (table.width() != width) {
            throw new IllegalArgumentException("example state delta of width " + width + " applied to a table of width "
                    + table.width());
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Comparator<Integer> byEntry = Comparator.<Integer>comparingLong(i -> ids[i])
                .thenComparingLong(i -> steps[i])
                .thenComparing((a, b) -> Arrays.compare(rows, a * width, a * width + width,
                        rows, b * width, b * width + width));
        Arrays.sort(order, byEntry);
        for (int i = 0; i < size; i++) {
            int e = order[i];
            boolean lastOfId = i + 1 == size || ids[order[i + 1]] != ids[e];
            if (lastOfId) {
                table.setRow(ids[e], rows, e * width);
            }
        }
    }

    /**
     * The same updates with only the winning entry per example (latest step; ties: the largest row), sorted by
     * example index: the per-example state table as of these updates, in sparse form. {@link #lookup} needs it.
     */
    public ExampleStateDelta compact() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Comparator<Integer> byEntry = Comparator.<Integer>comparingLong(i -> ids[i])
                .thenComparingLong(i -> steps[i])
                .thenComparing((a, b) -> Arrays.compare(rows, a * width, a * width + width,
                        rows, b * width, b * width + width));
        Arrays.sort(order, byEntry);
        ExampleStateDelta out = new ExampleStateDelta(width);
        for (int i = 0; i < size; i++) {
            int e = order[i];
            if (i + 1 == size || ids[order[i + 1]] != ids[e]) {
                out.append(ids[e], steps[e], rows, e * width);
            }
        }
        out.compacted = true;
        return out;
    }

    /**
     * Copies the state row of example {@code id} into {@code out[offset ..]} and returns true, or returns false when
     * the example has no entry. Only on a {@link #compact() compacted} delta (binary search over sorted indices).
     */
    public boolean lookup(long id, double[] out, int offset) {
        if (!compacted) {
            throw new IllegalStateException("lookup needs a compacted example state delta");
        }
        int at = Arrays.binarySearch(ids, 0, size, id);
        if (at < 0) {
            return false;
        }
        System.arraycopy(rows, at * width, out, offset, width);
        return true;
    }

    private void append(long id, long step, double[] source, int sourceOffset) {
        if (size == ids.length) {
            int capacity = ids.length * 2;
            ids = Arrays.copyOf(ids, capacity);
            steps = Arrays.copyOf(steps, capacity);
            rows = Arrays.copyOf(rows, capacity * width);
        }
        ids[size] = id;
        steps[size] = step;
        System.arraycopy(source, sourceOffset, rows, size * width, width);
        size++;
    }
}
