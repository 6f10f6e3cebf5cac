package io.concord.core.loss;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-example state of an {@link ExampleStateLoss} (ALDR-KL's λ_i), keyed by a stable example index
 * {@code 0 .. numExamples−1}: one flat {@code double[]} of {@code numExamples × width} values so it can be broadcast,
 * checkpointed and Kryo-shipped as is.
 */
public final class ExampleStateTable implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int width;
    private final double[] values;

    private ExampleStateTable(int width, double[] values) {
        this.width = width;
        this.values = values;
    }

    /** A table of {@code numExamples} rows, each set to {@code loss}'s initial state. */
    public static ExampleStateTable initial(ExampleStateLoss loss, int numExamples) {
        int width = loss.stateWidth();
        if (numExamples < 0 || (long) numExamples * width > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("example state table: " + numExamples + " examples of width " + width
                    + " do not fit one array");
        }
        double[] row = new double[width];
        loss.initialState(row);
        double[] values = new double[numExamples * width];
        for (int i = 0; i < numExamples; i++) {
            System.arraycopy(row, 0, values, i * width, width);
        }
        return new ExampleStateTable(width, values);
    }

    public int width() {
        return width;
    }

    public int numExamples() {
        return values.length / width;
    }

    /** The state rows of {@code exampleIds}, concatenated in order (the layout {@link ExampleStateLoss} reads). */
    public double[] gather(long[] exampleIds) {
        double[] out = new double[exampleIds.length * width];
        for (int i = 0; i < exampleIds.length; i++) {
            System.arraycopy(values, offset(exampleIds[i]), out, i * width, width);
        }
        return out;
    }

    /** Overwrites the rows of {@code exampleIds} with {@code rows} (same layout as {@link #gather}). */
    public void scatter(long[] exampleIds, double[] rows) {
        if (rows.length < exampleIds.length * width) {
            throw new IllegalArgumentException("example state table: " + rows.length + " values for "
                    + exampleIds.length + " rows of width " + width);
        }
        for (int i = 0; i < exampleIds.length; i++) {
            System.arraycopy(rows, i * width, values, offset(exampleIds[i]), width);
        }
    }

    /** Applies a merged round of updates; see {@link ExampleStateDelta#applyTo}. */
    public void apply(ExampleStateDelta delta) {
        delta.applyTo(this);
    }

    /** A copy of row {@code exampleId}. */
    public double[] row(long exampleId) {
        int offset = offset(exampleId);
        return Arrays.copyOfRange(values, offset, offset + width);
    }

    void setRow(long exampleId, double[] source, int sourceOffset) {
        System.arraycopy(source, sourceOffset, values, offset(exampleId), width);
    }

    private int offset(long exampleId) {
        if (exampleId < 0 || exampleId >= numExamples()) {
            throw new IllegalArgumentException("example index " + exampleId + " is out of range [0, " + numExamples()
                    + ")");
        }
        return (int) exampleId * width;
    }
}
