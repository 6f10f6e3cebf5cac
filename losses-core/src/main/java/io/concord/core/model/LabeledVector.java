package io.concord.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One classification example: a dense feature vector, a class label in {@code [0, numClasses)}, and an optional
 * stable example id ({@code -1} when unknown) that per-example-state losses (ALDR-KL) key their state by.
 */
public final class LabeledVector {

    private final float[] features;
    private final int label;
    private final long id;

    public LabeledVector(float[] features, int label) {
        this(features, label, -1L);
    }

    public LabeledVector(float[] features, int label, long id) {
        this.features = Objects.requireNonNull(features, "features");
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, got " + label);
        }
        this.label = label;
        this.id = id;
    }

    /** Stable example id, or -1. */
    public long id() {
        return id;
    }

    public float[] features() {
        return features;
    }

    public int label() {
        return label;
    }

    public int dimension() {
        return features.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledVector other && label == other.label && id == other.id
                && Arrays.equals(features, other.features);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(features) + label) + Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "LabeledVector{id=" + id + ", label=" + label + ", features=" + Arrays.toString(features) + '}';
    }
}
