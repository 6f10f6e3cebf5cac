package io.concord.run;

import io.concord.engine.RoundSummary;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The run report's charts (XChart PNGs under {@code report/}): loss per round and each evaluation metric. */
public final class ReportCharts {

    private ReportCharts() {
    }

    public static void write(RunDirectory dir, List<RoundSummary> rounds) {
        if (rounds.isEmpty()) {
            return;
        }
        List<Double> x = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        for (RoundSummary r : rounds) {
            x.add((double) r.round());
            loss.add(r.loss());
        }
        XYChart lossChart = chart("Training loss", "round", "loss");
        lossChart.addSeries("loss", x, loss).setMarker(SeriesMarkers.NONE);
        save(dir, "report/loss.png", lossChart);

        Set<String> names = new LinkedHashSet<>();
        rounds.forEach(r -> names.addAll(r.metrics().keySet()));
        if (!names.isEmpty()) {
            XYChart metrics = chart("Evaluation", "round", "value");
            for (String name : names) {
                List<Double> mx = new ArrayList<>();
                List<Double> my = new ArrayList<>();
                for (RoundSummary r : rounds) {
                    Double v = r.metrics().get(name);
                    if (v != null && Double.isFinite(v)) {
                        mx.add((double) r.round());
                        my.add(v);
                    }
                }
                if (!mx.isEmpty()) {
                    metrics.addSeries(name, mx, my);
                }
            }
            if (!metrics.getSeriesMap().isEmpty()) {
                save(dir, "report/metrics.png", metrics);
            }
        }
    }

    public static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendVisible(true);
        return chart;
    }

    public static void save(RunDirectory dir, String relative, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        try (OutputStream out = dir.create(relative)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new RunDirectory.OutputException("writing " + relative + " failed: " + e.getMessage(), e);
        }
    }
}
