package io.concord.sweep;

import io.concord.run.ChartGrid;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sweep's metric against each axis, one panel per axis (numeric axes on a numeric x, log-scaled when the values
 * span two decades or more; other axes as categories 0, 1, ... named in the axis title), every committed point a dot and the best point a red
 * diamond named in the legend.
 */
final class SweepPlot {

    private SweepPlot() {
    }

    /** One evaluated point: its axis values and its metric. */
    record Point(String runId, Map<String, String> values, double metric) {
    }

    static BufferedImage render(List<String> axes, List<Point> points, Point best, String metric) {
        List<XYChart> panels = new ArrayList<>();
        for (String axis : axes) {
            panels.add(panel(axis, points, best, metric));
        }
        return ChartGrid.render(panels, 3);
    }

    static XYChart panel(String axis, List<Point> points, Point best, String metric) {
        XYChart chart = new XYChartBuilder().width(ChartGrid.PANEL_WIDTH).height(ChartGrid.PANEL_HEIGHT)
                .title(metric + " vs " + axis).xAxisTitle(axis).yAxisTitle(metric).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(8);
        List<String> categories = new ArrayList<>();
        boolean numeric = points.stream().allMatch(p -> isNumber(p.values().get(axis)));
        if (!numeric) {
            points.forEach(p -> {
                if (!categories.contains(p.values().get(axis))) {
                    categories.add(p.values().get(axis));
                }
            });
            // categories at 0..k-1 (named in the axis title: XChart's custom tick labels drop labels unpredictably),
            // half a slot of margin on each side
            chart.getStyler().setXAxisMin(-0.5).setXAxisMax(categories.size() - 0.5);
            StringBuilder title = new StringBuilder(axis).append(":");
            for (int i = 0; i < categories.size(); i++) {
                title.append(' ').append(i).append(" = ").append(categories.get(i)).append(i + 1 < categories.size() ? "," : "");
            }
            chart.setXAxisTitle(title.toString());
        }
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Point p : points) {
            xs.add(x(p, axis, numeric, categories));
            ys.add(p.metric());
        }
        if (numeric && xs.stream().allMatch(v -> v > 0)
                && xs.stream().mapToDouble(v -> v).max().orElse(1) / xs.stream().mapToDouble(v -> v).min().orElse(1) >= 100) {
            chart.getStyler().setXAxisLogarithmic(true);
        }
        chart.addSeries("points", xs, ys).setMarker(SeriesMarkers.CIRCLE).setMarkerColor(new Color(60, 110, 180));
        if (best != null) {
            chart.addSeries("best: " + best.runId(), List.of(x(best, axis, numeric, categories)),
                    List.of(best.metric())).setMarker(SeriesMarkers.DIAMOND).setMarkerColor(Color.RED);
        }
        return chart;
    }

    private static double x(Point p, String axis, boolean numeric, List<String> categories) {
        String v = p.values().get(axis);
        return numeric ? Double.parseDouble(v) : categories.indexOf(v);
    }

    private static boolean isNumber(String s) {
        try {
            return s != null && Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
