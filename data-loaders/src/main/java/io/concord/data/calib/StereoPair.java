package io.concord.data.calib;

import io.concord.core.calib.CalibParam;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One calibration example: a left and a right RGB view ({@code height × width × 3} bytes, row-major, interleaved RGB)
 * and the ten physical labels in {@link CalibParam} order. Plain arrays only, so it travels well through Kryo.
 */
public final class StereoPair implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final int CHANNELS = 3;

    private final String id;
    private final int width;
    private final int height;
    private final byte[] left;
    private final byte[] right;
    private final float[] label;

    public StereoPair(String id, int width, int height, byte[] left, byte[] right, float[] label) {
        this.id = Objects.requireNonNull(id, "id");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("record '" + id + "': bad image size " + width + "x" + height);
        }
        int size = width * height * CHANNELS;
        if (left == null || left.length != size || right == null || right.length != size) {
            throw new IllegalArgumentException("record '" + id + "': views must have " + size + " bytes ("
                    + width + "x" + height + "x" + CHANNELS + "), got " + (left == null ? "none" : left.length)
                    + " and " + (right == null ? "none" : right.length));
        }
        if (label == null || label.length != CalibParam.COUNT) {
            throw new IllegalArgumentException("record '" + id + "': need " + CalibParam.COUNT + " labels, got "
                    + (label == null ? "none" : label.length));
        }
        for (CalibParam p : CalibParam.values()) {
            if (!Float.isFinite(label[p.index()])) {
                throw new IllegalArgumentException("record '" + id + "': label " + p.key() + " is "
                        + label[p.index()]);
            }
        }
        this.width = width;
        this.height = height;
        this.left = left;
        this.right = right;
        this.label = label;
    }

    public String id() {
        return id;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Left view bytes (not copied: do not modify). */
    public byte[] left() {
        return left;
    }

    /** Right view bytes (not copied: do not modify). */
    public byte[] right() {
        return right;
    }

    /** Labels (not copied: do not modify). */
    public float[] label() {
        return label;
    }

    public double label(CalibParam p) {
        return label[p.index()];
    }

    /** Labels in double precision. */
    public double[] labelVector() {
        double[] d = new double[label.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = label[i];
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StereoPair p && id.equals(p.id) && width == p.width && height == p.height
                && Arrays.equals(left, p.left) && Arrays.equals(right, p.right) && Arrays.equals(label, p.label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, width, height, Arrays.hashCode(left), Arrays.hashCode(right), Arrays.hashCode(label));
    }

    @Override
    public String toString() {
        return "StereoPair{" + id + ", " + width + "x" + height + ", label=" + Arrays.toString(label) + '}';
    }
}
