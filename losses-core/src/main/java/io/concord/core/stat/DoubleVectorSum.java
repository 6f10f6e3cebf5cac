package io.concord.core.stat;

import java.util.Objects;

/**
 * Element-wise sum of fixed-length {@code double[]} vectors: loss sums, probability mass per expert, score sums.
 */
public final class DoubleVectorSum implements GlobalStatistic<double[]> {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final int length;
    private final Freshness freshness;

    public DoubleVectorSum(String name, int length, Freshness freshness) {
        if (length <= 0) {
            throw new IllegalArgumentException("statistic '" + name + "': length must be > 0, got " + length);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.length = length;
        this.freshness = Objects.requireNonNull(freshness, "freshness");
    }

    @Override
    public String name() {
        return name;
    }

    public int length() {
        return length;
    }

    @Override
    public double[] zero() {
        return new double[length];
    }

    @Override
    public double[] merge(double[] left, double[] right) {
        if (left.length != length || right.length != length) {
            throw new IllegalArgumentException("statistic '" + name + "': expected length " + length
                    + ", got " + left.length + " and " + right.length);
        }
        for (int i = 0; i < length; i++) {
            left[i] += right[i];
        }
        return left;
    }

    @Override
    public double[] copy(double[] value) {
        return value.clone();
    }

    @Override
    public Freshness freshness() {
        return freshness;
    }
}
