package io.concord.core.stat;

import java.util.Objects;

/**
 * Element-wise sum of fixed-length {@code long[]} vectors: expert selection counts, node degrees, histogram bins.
 * Integer sums are exact and order-independent, so merged values are bit-identical however partitions are combined.
 */
public final class LongVectorSum implements GlobalStatistic<long[]> {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final int length;
    private final Freshness freshness;

    public LongVectorSum(String name, int length, Freshness freshness) {
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
    public long[] zero() {
        return new long[length];
    }

    @Override
    public long[] merge(long[] left, long[] right) {
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
    public long[] copy(long[] value) {
        return value.clone();
    }

    @Override
    public Freshness freshness() {
        return freshness;
    }
}
