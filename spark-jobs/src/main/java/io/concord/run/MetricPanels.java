package io.concord.run;

import io.concord.engine.RoundSummary;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's metrics chart as one panel per metric family, so that e.g. MoE's 25 series for two layers (held-out and training
 * task loss, accuracy, LBL, imbalance, top-K score sum and specialization, each as a mean and per layer) stay
 * readable: a family is the name's last dot-separated part ({@code train.layer1.lbl} belongs to {@code lbl}), and
 * its panel holds every series of that family over the rounds.
 */
public final class MetricPanels {

    private MetricPanels() {
    }

    /** Metric names grouped by family, families and names in first-seen order. */
    public static Map<String, List<String>> families(Iterable<String> names) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : names) {
            out.computeIfAbsent(name.substring(name.lastIndexOf('.') + 1), k -> new ArrayList<>()).add(name);
        }
        return out;
    }

    /** The panels (null when no metric has a finite value), laid out three per row. */
    public static BufferedImage render(List<RoundSummary> rounds) {
        List<String> names = new ArrayList<>();
        rounds.forEach(r -> r.metrics().keySet().forEach(n -> {
            if (!names.contains(n)) {
                names.add(n);
            }
        }));
        List<XYChart> panels = new ArrayList<>();
        for (Map.Entry<String, List<String>> family : families(names).entrySet()) {
            XYChart chart = new XYChartBuilder().width(ChartGrid.PANEL_WIDTH).height(ChartGrid.PANEL_HEIGHT)
                    .title(family.getKey()).xAxisTitle("round").yAxisTitle(family.getKey()).build();
            chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
            chart.getStyler().setLegendVisible(family.getValue().size() > 1);
            for (String name : family.getValue()) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (RoundSummary r : rounds) {
                    Double v = r.metrics().get(name);
                    if (v != null && Double.isFinite(v)) {
                        x.add((double) r.round());
                        y.add(v);
                    }
                }
                if (!x.isEmpty()) {
                    chart.addSeries(name, x, y).setMarker(x.size() > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
                }
            }
            if (!chart.getSeriesMap().isEmpty()) {
                panels.add(chart);
            }
        }
        return panels.isEmpty() ? null : ChartGrid.render(panels, 3);
    }
}
