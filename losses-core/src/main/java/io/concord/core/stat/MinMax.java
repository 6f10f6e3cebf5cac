package io.concord.core.stat;

import java.util.Objects;

/**
 * Running minimum and maximum of a scalar (score bounds for normalisation or clipping). The value is a
 * {@code double[2]} of {min, max}; the identity is {+inf, -inf}.
 */
public final class MinMax implements GlobalStatistic<double[]> {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final Freshness freshness;

    public MinMax(String name, Freshness freshness) {
        this.name = Objects.requireNonNull(name, "name");
        this.freshness = Objects.requireNonNull(freshness, "freshness");
    }

    public static void observe(double[] value, double x) {
        value[0] = Math.min(value[0], x);
        value[1] = Math.max(value[1], x);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double[] zero() {
        return new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    }

    @Override
    public double[] merge(double[] left, double[] right) {
        left[0] = Math.min(left[0], right[0]);
        left[1] = Math.max(left[1], right[1]);
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
