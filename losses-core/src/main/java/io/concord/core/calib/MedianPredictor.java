package io.concord.core.calib;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The constant baseline: predicts each parameter's training-set median, the constant that minimises the MAE. The
 * reference's translation and baseline results sit exactly at this level (t_x 0.200, t_y 0.125, t_z 0.125 m).
 */
public final class MedianPredictor implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double[] median;

    private MedianPredictor(double[] median) {
        this.median = median;
    }

    /** Fits to physical labels, one row per example. */
    public static MedianPredictor fit(double[][] labels) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("cannot fit a median predictor to zero labels");
        }
        double[] median = new double[CalibParam.COUNT];
        double[] column = new double[labels.length];
        for (int k = 0; k < CalibParam.COUNT; k++) {
            for (int i = 0; i < labels.length; i++) {
                column[i] = labels[i][k];
            }
            Arrays.sort(column);
            int n = column.length;
            median[k] = n % 2 == 1 ? column[n / 2] : 0.5 * (column[n / 2 - 1] + column[n / 2]);
        }
        return new MedianPredictor(median);
    }

    /** The prediction for any input (physical units). */
    public double[] predict() {
        return median.clone();
    }
}
