package io.concord.run;

import io.concord.engine.RoundSummary;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/** Loss per epoch with its band, bounded point counts, log axis, one panel per metric family, best marked. */
class ReportChartsTest {

    @TempDir
    java.nio.file.Path tmp;

    private static RoundSummary round(int round, double loss, Map<String, Double> metrics) {
        RoundSummary r = new RoundSummary(round, loss, 10, Map.of(), Map.of("round", 1.0));
        r.metrics().putAll(metrics);
        return r;
    }

    private static XYChart panel(List<XYChart> panels, String title) {
        return panels.stream().filter(p -> p.getTitle().equals(title)).findFirst().orElseThrow();
    }

    @Test
    void lossIsTheMeanPerEpochWithTheRoundRangeAsABand() {
        double[] losses = {3, 2, 1, 6, 5, 4, 9, 8, 7};
        List<RoundSummary> rounds = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            rounds.add(round(i, losses[i], Map.of()));
        }
        XYChart chart = ReportCharts.lossChart(rounds, 3);
        Map<String, XYSeries> series = chart.getSeriesMap();
        assertThat(series.get("mean loss").getXData()).containsExactly(1.0, 2.0, 3.0);
        assertThat(series.get("mean loss").getYData()).containsExactly(2.0, 5.0, 8.0);
        assertThat(series.get("min").getYData()).containsExactly(1.0, 4.0, 7.0);
        assertThat(series.get("max").getYData()).containsExactly(3.0, 6.0, 9.0);
        assertThat(chart.getStyler().isYAxisLogarithmic()).isFalse();
        assertThat(chart.getTitle()).contains("per epoch");
    }

    @Test
    void aLongRunWithoutEpochsIsBinnedAndALossOverDecadesGetsALogAxis() {
        List<RoundSummary> rounds = new ArrayList<>();
        for (int i = 0; i < 14_184; i++) {
            rounds.add(round(i, 1000.0 / (1 + i), Map.of()));
        }
        XYChart chart = ReportCharts.lossChart(rounds, 1);
        int points = chart.getSeriesMap().get("mean loss").getXData().length;
        assertThat(points).isLessThanOrEqualTo(ReportCharts.MAX_POINTS).isGreaterThan(ReportCharts.MAX_POINTS / 2);
        assertThat(chart.getStyler().isYAxisLogarithmic()).isTrue();
        assertThat(chart.getXAxisTitle()).isEqualTo("round");
    }

    @Test
    void constantMetricsAndASingleEvaluationStillRender() throws IOException {
        List<RoundSummary> rounds = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rounds.add(round(i, 2.0, Map.of("eval.layer0.imbalance", 1.0, "eval.layer1.imbalance",
                    1.0000000000000002, "lbl", 0.0)));
        }
        rounds.add(round(30, 2.0, Map.of("single", 0.5)));
        RunDirectory dir = new RunDirectory(new Path(tmp.toUri()), "c", new Configuration());
        ReportCharts.write(dir, rounds, 1, 3);
        BufferedImage image = ImageIO.read(new File(dir.staged("report/metrics.png").toUri()));
        assertThat(image.getHeight()).isEqualTo(2 * 400);
        assertThat(ImageIO.read(new File(dir.staged("report/loss.png").toUri())).getWidth()).isEqualTo(640);
    }

    @Test
    void metricFamiliesGroupByNameWithoutPrefixOrCutoff() {
        assertThat(ReportCharts.family("recall@20")).isEqualTo("recall");
        assertThat(ReportCharts.family("final.recall@20")).isEqualTo("recall");
        assertThat(ReportCharts.family("eval.layer0.lbl")).isEqualTo("lbl");
        assertThat(ReportCharts.family("accuracy")).isEqualTo("accuracy");
    }

    @Test
    void onePanelPerFamilyInEpochsWithTheBestEvaluationMarked() throws IOException {
        List<RoundSummary> rounds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean eval = (i + 1) % 10 == 0;
            rounds.add(round(i, 1.0, !eval ? Map.of() : Map.of("recall@20", 0.1 * (i == 19 ? 3 : 1),
                    "ndcg@20", 0.05, "eval.layer0.lbl", 1.0, "eval.layer1.lbl", 2.0)));
        }
        List<XYChart> panels = ReportCharts.metricPanels(rounds, 10, 19);
        assertThat(panels).extracting(XYChart::getTitle).containsExactlyInAnyOrder("recall", "ndcg", "lbl");
        XYChart recall = panel(panels, "recall");
        assertThat(recall.getXAxisTitle()).isEqualTo("epoch");
        assertThat(recall.getSeriesMap().get("recall@20").getXData()).containsExactly(1.0, 2.0, 3.0, 4.0);
        XYSeries best = recall.getSeriesMap().get("best recall@20 (epoch 2)");
        assertThat(best.getXData()).containsExactly(2.0);
        assertThat(best.getYData()).containsExactly(0.30000000000000004);
        assertThat(panel(panels, "lbl").getSeriesMap()).containsKeys("eval.layer0.lbl", "eval.layer1.lbl");

        RunDirectory dir = new RunDirectory(new Path(tmp.toUri()), "r", new Configuration());
        ReportCharts.write(dir, rounds, 10, 19);
        File metrics = new File(dir.staged("report/metrics.png").toUri());
        BufferedImage image = ImageIO.read(metrics);
        assertThat(image.getWidth()).isEqualTo(2 * 640);
        assertThat(image.getHeight()).isEqualTo(2 * 400);
        assertThat(new File(dir.staged("report/loss.png").toUri())).exists();
    }
}
