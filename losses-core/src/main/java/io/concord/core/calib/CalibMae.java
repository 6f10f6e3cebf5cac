package io.concord.core.calib;

import java.util.Locale;
import java.util.Map;

/**
 * Per-parameter mean absolute error in physical units (pixels, metres, radians), as the reference reports its
 * results. Unlike the reference's test notebooks it divides by the number of test pairs actually evaluated (they
 * divide by 70% of the dataset, which prints MAE × 0.4286).
 */
public final class CalibMae {

    private final double[] sum = new double[CalibParam.COUNT];
    private long count;

    /** Adds one example's prediction and truth (physical units). */
    public void add(double[] predicted, double[] truth) {
        for (int k = 0; k < CalibParam.COUNT; k++) {
            sum[k] += Math.abs(predicted[k] - truth[k]);
        }
        count++;
    }

    public long count() {
        return count;
    }

    /** MAE of each parameter; NaN before the first example. */
    public double[] mae() {
        double[] m = new double[CalibParam.COUNT];
        for (int k = 0; k < CalibParam.COUNT; k++) {
            m[k] = count == 0 ? Double.NaN : sum[k] / count;
        }
        return m;
    }

    /** MAE of the median predictor of {@code train} on {@code test}. */
    public static double[] ofMedian(double[][] train, double[][] test) {
        double[] prediction = MedianPredictor.fit(train).predict();
        CalibMae mae = new CalibMae();
        for (double[] row : test) {
            mae.add(prediction, row);
        }
        return mae.mae();
    }

    /**
     * Mean over the parameters of {@code mae[k] / baseline[k]}, skipping parameters the baseline predicts exactly
     * (constant in the data): 1.0 is the median-predictor level, 0 is perfect. A single scale-free number for
     * comparing runs (e.g. Concord vs DL4J at equal accuracy).
     */
    public static double relativeMean(double[] mae, double[] baseline) {
        double s = 0;
        int n = 0;
        for (int k = 0; k < CalibParam.COUNT; k++) {
            if (baseline[k] > 0) {
                s += mae[k] / baseline[k];
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** A fixed-width table: one row per named result, one column per parameter. */
    public static String table(Map<String, double[]> rows) {
        StringBuilder b = new StringBuilder();
        int nameWidth = Math.max(8, rows.keySet().stream().mapToInt(String::length).max().orElse(8));
        b.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", "MAE"));
        for (CalibParam p : CalibParam.values()) {
            b.append(String.format(Locale.ROOT, " %10s", p.key() + "[" + p.unit() + "]"));
        }
        b.append('\n');
        for (Map.Entry<String, double[]> row : rows.entrySet()) {
            b.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", row.getKey()));
            for (double v : row.getValue()) {
                b.append(String.format(Locale.ROOT, " %10.4f", v));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
