package io.concord.workload.calib;

import io.concord.core.calib.CalibMae;
import io.concord.core.calib.CalibParam;
import io.concord.run.RunDirectory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run's result tables in {@code report/}: {@code mae.csv} and {@code mae.md} (per-parameter held-out MAE in
 * physical units of the median predictor, the final and the best parameters, with the mean relative to the median)
 * and {@code eval-history.csv} (every evaluation, by rounds completed).
 */
final class CalibReport {

    static final String CSV = "report/mae.csv";
    static final String MARKDOWN = "report/mae.md";
    static final String HISTORY = "report/eval-history.csv";

    private final double[] median;
    private final List<Map.Entry<Integer, double[]>> history = new ArrayList<>();

    CalibReport(double[] medianMae) {
        this.median = medianMae.clone();
    }

    /** Records one evaluation (rounds completed, per-parameter MAE). */
    synchronized void add(int round, double[] mae) {
        history.add(Map.entry(round, mae.clone()));
    }

    synchronized List<Map.Entry<Integer, double[]>> history() {
        return List.copyOf(history);
    }

    /** The table rows: median first, then the named results. */
    Map<String, double[]> rows(Map<String, double[]> results) {
        Map<String, double[]> rows = new LinkedHashMap<>();
        rows.put("median", median);
        rows.putAll(results);
        return rows;
    }

    void write(RunDirectory dir, Map<String, double[]> results) {
        Map<String, double[]> rows = rows(results);
        dir.writeString(CSV, csv(rows, median));
        dir.writeString(MARKDOWN, markdown(rows, median));
        dir.writeString(HISTORY, historyCsv());
    }

    static String csv(Map<String, double[]> rows, double[] median) {
        StringBuilder sb = new StringBuilder("row");
        for (CalibParam p : CalibParam.values()) {
            sb.append(',').append(p.key()).append('_').append(p.unit());
        }
        sb.append(",relativeMae\n");
        for (Map.Entry<String, double[]> row : rows.entrySet()) {
            sb.append(row.getKey());
            for (double v : row.getValue()) {
                sb.append(',').append(num(v));
            }
            sb.append(',').append(num(CalibMae.relativeMean(row.getValue(), median))).append('\n');
        }
        return sb.toString();
    }

    static String markdown(Map<String, double[]> rows, double[] median) {
        StringBuilder sb = new StringBuilder("Held-out MAE per parameter (physical units); relative = mean over the "
                + "parameters of MAE / median-predictor MAE, skipping parameters the median predicts exactly.\n\n| |");
        for (CalibParam p : CalibParam.values()) {
            sb.append(' ').append(p.key()).append(" [").append(p.unit()).append("] |");
        }
        sb.append(" relative |\n|---|");
        sb.append("---:|".repeat(CalibParam.COUNT + 1)).append('\n');
        for (Map.Entry<String, double[]> row : rows.entrySet()) {
            sb.append("| ").append(row.getKey()).append(" |");
            for (double v : row.getValue()) {
                sb.append(' ').append(num(v)).append(" |");
            }
            sb.append(' ').append(num(CalibMae.relativeMean(row.getValue(), median))).append(" |\n");
        }
        return sb.toString();
    }

    private String historyCsv() {
        StringBuilder sb = new StringBuilder("rounds");
        for (CalibParam p : CalibParam.values()) {
            sb.append(",mae_").append(p.key());
        }
        sb.append(",relativeMae\n");
        for (Map.Entry<Integer, double[]> e : history()) {
            sb.append(e.getKey());
            for (double v : e.getValue()) {
                sb.append(',').append(num(v));
            }
            sb.append(',').append(num(CalibMae.relativeMean(e.getValue(), median))).append('\n');
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
