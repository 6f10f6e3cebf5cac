package io.concord.run;

import io.concord.engine.RoundSummary;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * The run report's charts (XChart PNGs under {@code report/}), readable for runs of any length:
 * <ul>
 *   <li>{@code loss.png}: the mean loss per epoch (or per bin of rounds when an epoch is one round) with a band from
 *       the lowest to the highest round loss of the bin; a log axis when the loss spans more than a decade;</li>
 *   <li>{@code metrics.png}: one panel per metric family ({@code recall@20} and {@code final.recall@20} are
 *       "recall", {@code eval.layer0.lbl} and {@code eval.layer1.lbl} are "lbl"), against epochs when the run has
 *       epochs, the best evaluation marked in every panel.</li>
 * </ul>
 */
public final class ReportCharts {

    /** At most this many points on the loss chart. */
    static final int MAX_POINTS = 400;
    private static final int PANEL_WIDTH = 640;
    private static final int PANEL_HEIGHT = 400;

    private ReportCharts() {
    }

    public static void write(RunDirectory dir, List<RoundSummary> rounds) {
        write(dir, rounds, 1, -1);
    }

    /**
     * @param roundsPerEpoch rounds per epoch (1 = the run is not epoch based)
     * @param bestRound      the round of the best evaluation, or -1
     */
    public static void write(RunDirectory dir, List<RoundSummary> rounds, int roundsPerEpoch, int bestRound) {
        if (rounds.isEmpty()) {
            return;
        }
        save(dir, "report/loss.png", lossChart(rounds, roundsPerEpoch));
        List<XYChart> panels = metricPanels(rounds, roundsPerEpoch, bestRound);
        if (!panels.isEmpty()) {
            saveGrid(dir, "report/metrics.png", panels);
        }
    }

    /** Mean loss per bin (an epoch, or enough rounds to keep at most {@link #MAX_POINTS} points), min–max band. */
    static XYChart lossChart(List<RoundSummary> rounds, int roundsPerEpoch) {
        int lastRound = rounds.get(rounds.size() - 1).round();
        boolean byEpoch = roundsPerEpoch > 1 && (lastRound + 1) / roundsPerEpoch <= MAX_POINTS;
        int bin = byEpoch ? roundsPerEpoch : Math.max(1, (lastRound + MAX_POINTS) / MAX_POINTS);
        Map<Integer, double[]> bins = new LinkedHashMap<>();
        for (RoundSummary r : rounds) {
            if (!Double.isFinite(r.loss())) {
                continue;
            }
            // {sum, count, min, max}
            double[] b = bins.computeIfAbsent(r.round() / bin, k -> new double[] {0, 0, Double.MAX_VALUE,
                -Double.MAX_VALUE});
            b[0] += r.loss();
            b[1]++;
            b[2] = Math.min(b[2], r.loss());
            b[3] = Math.max(b[3], r.loss());
        }
        List<Double> x = new ArrayList<>();
        List<Double> mean = new ArrayList<>();
        List<Double> low = new ArrayList<>();
        List<Double> high = new ArrayList<>();
        bins.forEach((k, b) -> {
            x.add(byEpoch ? k + 1.0 : (double) k * bin + (bin - 1) / 2.0);
            mean.add(b[0] / b[1]);
            low.add(b[2]);
            high.add(b[3]);
        });
        String xTitle = byEpoch ? "epoch" : "round";
        String title = bin == 1 ? "Training loss per round"
                : byEpoch ? "Training loss: mean per epoch, band = min..max round"
                : "Training loss: mean per " + bin + " rounds, band = min..max round";
        XYChart chart = chart(title, xTitle, "loss");
        double lo = low.stream().mapToDouble(Double::doubleValue).min().orElse(1);
        double hi = high.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        chart.getStyler().setYAxisLogarithmic(lo > 0 && hi / lo > 10);
        if (bin > 1) {
            band(chart.addSeries("min", x, low));
            band(chart.addSeries("max", x, high));
        }
        chart.addSeries("mean loss", x, mean).setMarker(x.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        if (!chart.getStyler().isYAxisLogarithmic()) {
            boundAxes(chart);
        }
        return chart;
    }

    private static void band(XYSeries series) {
        series.setMarker(SeriesMarkers.NONE).setLineStyle(SeriesLines.DASH_DASH).setLineColor(Color.LIGHT_GRAY);
    }

    /** One panel per metric family, x in epochs when the run has epochs, the best evaluation marked. */
    static List<XYChart> metricPanels(List<RoundSummary> rounds, int roundsPerEpoch, int bestRound) {
        Map<String, Set<String>> families = new LinkedHashMap<>();
        for (RoundSummary r : rounds) {
            for (String name : r.metrics().keySet()) {
                families.computeIfAbsent(family(name), f -> new LinkedHashSet<>()).add(name);
            }
        }
        boolean byEpoch = roundsPerEpoch > 1;
        List<XYChart> panels = new ArrayList<>();
        families.forEach((family, names) -> {
            XYChart panel = chart(family, byEpoch ? "epoch" : "round", family);
            for (String name : names) {
                List<Double> mx = new ArrayList<>();
                List<Double> my = new ArrayList<>();
                double[] best = null;
                for (RoundSummary r : rounds) {
                    Double v = r.metrics().get(name);
                    if (v != null && Double.isFinite(v)) {
                        double xv = byEpoch ? (r.round() + 1.0) / roundsPerEpoch : r.round();
                        mx.add(xv);
                        my.add(v);
                        if (r.round() == bestRound) {
                            best = new double[] {xv, v};
                        }
                    }
                }
                if (mx.isEmpty()) {
                    continue;
                }
                panel.addSeries(name, mx, my).setMarker(mx.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
                if (best != null) {
                    panel.addSeries("best " + name + (byEpoch ? " (epoch " + fmt(best[0]) + ")"
                                    : " (round " + bestRound + ")"), new double[] {best[0]}, new double[] {best[1]})
                            .setMarker(SeriesMarkers.DIAMOND).setMarkerColor(Color.RED);
                }
            }
            if (!panel.getSeriesMap().isEmpty()) {
                boundAxes(panel);
                panels.add(panel);
            }
        });
        return panels;
    }

    /**
     * Explicit axis bounds with a margin: XChart's tick calculation does not terminate on a (near-)constant series
     * (a metric that stays at 1.0, a single evaluation), which one panel per family makes common.
     */
    static void boundAxes(XYChart chart) {
        double[] x = range(chart, true);
        double[] y = range(chart, false);
        chart.getStyler().setXAxisMin(x[0]).setXAxisMax(x[1]).setYAxisMin(y[0]).setYAxisMax(y[1]);
    }

    private static double[] range(XYChart chart, boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (double v : xAxis ? series.getXData() : series.getYData()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        double pad = Math.max((hi - lo) * 0.05, Math.max(Math.abs(hi), Math.abs(lo)) * 0.05);
        if (!(pad > 1e-9)) {
            pad = 1;
        }
        return new double[] {lo - pad, hi + pad};
    }

    /** {@code recall@20} → recall, {@code final.recall@20} → recall, {@code eval.layer0.lbl} → lbl. */
    static String family(String metric) {
        String name = metric;
        int at = name.indexOf('@');
        if (at > 0) {
            name = name.substring(0, at);
        }
        int dot = name.lastIndexOf('.');
        return dot >= 0 && dot < name.length() - 1 ? name.substring(dot + 1) : name;
    }

    private static String fmt(double epoch) {
        return epoch == Math.rint(epoch) ? String.valueOf((long) epoch) : String.format("%.2f", epoch);
    }

    public static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendVisible(true);
        return chart;
    }

    public static void save(RunDirectory dir, String relative, Chart<?, ?> chart) {
        try (OutputStream out = dir.create(relative)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new RunDirectory.OutputException("writing " + relative + " failed: " + e.getMessage(), e);
        }
    }

    /** Panels side by side, two per row, in one PNG. */
    static void saveGrid(RunDirectory dir, String relative, List<XYChart> panels) {
        int columns = Math.min(2, panels.size());
        int rows = (panels.size() + columns - 1) / columns;
        BufferedImage grid = new BufferedImage(columns * PANEL_WIDTH, rows * PANEL_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(panels.get(i)), (i % columns) * PANEL_WIDTH,
                    (i / columns) * PANEL_HEIGHT, null);
        }
        g.dispose();
        try (OutputStream out = dir.create(relative)) {
            ImageIO.write(grid, "png", out);
        } catch (IOException e) {
            throw new RunDirectory.OutputException("writing " + relative + " failed: " + e.getMessage(), e);
        }
    }
}
