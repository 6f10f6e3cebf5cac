package io.concord.run;

import io.concord.engine.RoundSummary;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

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

        BufferedImage metrics = MetricPanels.render(rounds);
        if (metrics != null) {
            try (OutputStream out = dir.create("report/metrics.png")) {
                ChartGrid.write(metrics, out);
            } catch (IOException e) {
                throw new RunDirectory.OutputException("writing report/metrics.png failed: " + e.getMessage(), e);
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
