package io.concord.core.calib;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The affine map between physical camera parameters and the normalized values the network regresses:
 * {@code normalized = (physical − offset) / scale}, per parameter.
 *
 * <p>{@link #fit} takes the training labels' mean and standard deviation; a parameter that is constant in the data
 * (the CVGL principal point, for one) gets scale 1 so it is still regressed, in its own units.
 */
public final class ParamScaling implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double[] offset;
    private final double[] scale;

    public ParamScaling(double[] offset, double[] scale) {
        if (offset.length != CalibParam.COUNT || scale.length != CalibParam.COUNT) {
            throw new IllegalArgumentException("scaling needs " + CalibParam.COUNT + " offsets and scales, got "
                    + offset.length + " and " + scale.length);
        }
        for (CalibParam p : CalibParam.values()) {
            double o = offset[p.index()];
            double s = scale[p.index()];
            if (!Double.isFinite(o) || !(s > 0.0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("scaling for " + p.key() + ": offset " + o + ", scale " + s
                        + " is not allowed; offset must be finite and scale a finite number > 0");
            }
        }
        this.offset = offset.clone();
        this.scale = scale.clone();
    }

    /** Identity scaling: the network regresses physical values. */
    public static ParamScaling identity() {
        double[] ones = new double[CalibParam.COUNT];
        Arrays.fill(ones, 1.0);
        return new ParamScaling(new double[CalibParam.COUNT], ones);
    }

    /** Mean and standard deviation of each column of {@code labels} (physical units, one row per example). */
    public static ParamScaling fit(double[][] labels) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("cannot fit a parameter scaling to zero labels");
        }
        int n = labels.length;
        double[] mean = new double[CalibParam.COUNT];
        double[] std = new double[CalibParam.COUNT];
        for (double[] row : labels) {
            for (int k = 0; k < CalibParam.COUNT; k++) {
                mean[k] += row[k];
            }
        }
        for (int k = 0; k < CalibParam.COUNT; k++) {
            mean[k] /= n;
        }
        for (double[] row : labels) {
            for (int k = 0; k < CalibParam.COUNT; k++) {
                double d = row[k] - mean[k];
                std[k] += d * d;
            }
        }
        for (int k = 0; k < CalibParam.COUNT; k++) {
            std[k] = Math.sqrt(std[k] / n);
            if (!(std[k] > 1e-9 * (1.0 + Math.abs(mean[k])))) {
                std[k] = 1.0;
            }
        }
        return new ParamScaling(mean, std);
    }

    public double offset(int k) {
        return offset[k];
    }

    public double scale(int k) {
        return scale[k];
    }

    public double[] offsets() {
        return offset.clone();
    }

    public double[] scales() {
        return scale.clone();
    }

    public double normalize(int k, double physical) {
        return (physical - offset[k]) / scale[k];
    }

    public double denormalize(int k, double normalized) {
        return offset[k] + scale[k] * normalized;
    }

    public double[] normalize(double[] physical) {
        double[] out = new double[CalibParam.COUNT];
        for (int k = 0; k < CalibParam.COUNT; k++) {
            out[k] = normalize(k, physical[k]);
        }
        return out;
    }

    public double[] denormalize(double[] normalized) {
        double[] out = new double[CalibParam.COUNT];
        for (int k = 0; k < CalibParam.COUNT; k++) {
            out[k] = denormalize(k, normalized[k]);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamScaling other && Arrays.equals(offset, other.offset)
                && Arrays.equals(scale, other.scale);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(offset) + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "ParamScaling{offset=" + Arrays.toString(offset) + ", scale=" + Arrays.toString(scale) + '}';
    }
}
