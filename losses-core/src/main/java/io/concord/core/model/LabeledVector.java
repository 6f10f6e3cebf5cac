package io.concord.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One classification example: a dense feature vector and a class label in {@code [0, numClasses)}.
 */
public final class LabeledVector {

    private final float[] features;
    private final int label;

    public LabeledVector(float[] features, int label) {
        this.features = Objects.requireNonNull(features, "features");
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, got " + label);
        }
        this.label = label;
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
        return o instanceof LabeledVector other && label == other.label && Arrays.equals(features, other.features);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(features) + label;
    }

    @Override
    public String toString() {
        return "LabeledVector{label=" + label + ", features=" + Arrays.toString(features) + '}';
    }
}
