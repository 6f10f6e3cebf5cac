package io.concord.run;

import io.concord.engine.RoundSummary;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's metrics chart: one panel per metric family, e.g. the 25 series of a two-layer MoE run in 7 panels. */
class MetricPanelsTest {

    /** The names a two-layer MoE run reports (RoutingMetrics: held-out means and per layer, train.* subset). */
    private static List<String> moeNames() {
        List<String> names = new ArrayList<>();
        List<String> all = List.of("lbl", "imbalance", "topKScoreSum", "specialization", "specializationNormalized");
        names.addAll(List.of("taskLoss", "accuracy"));
        names.addAll(all);
        for (int layer = 0; layer < 2; layer++) {
            for (String m : all) {
                names.add("layer" + layer + "." + m);
            }
        }
        names.addAll(List.of("train.taskLoss", "train.accuracy", "train.lbl", "train.imbalance"));
        for (int layer = 0; layer < 2; layer++) {
            names.addAll(List.of("train.layer" + layer + ".lbl", "train.layer" + layer + ".imbalance"));
        }
        return names;
    }

    @Test
    void groupsSeriesByTheLastPartOfTheirName() {
        List<String> names = moeNames();
        assertThat(names).hasSize(25);
        Map<String, List<String>> families = MetricPanels.families(names);
        assertThat(families.keySet()).containsExactly("taskLoss", "accuracy", "lbl", "imbalance", "topKScoreSum",
                "specialization", "specializationNormalized");
        assertThat(families.get("lbl")).containsExactly("lbl", "layer0.lbl", "layer1.lbl", "train.lbl",
                "train.layer0.lbl", "train.layer1.lbl");
        assertThat(families.get("specialization")).containsExactly("specialization", "layer0.specialization",
                "layer1.specialization");
        assertThat(families.values().stream().mapToInt(List::size).sum()).isEqualTo(25);
    }

    @Test
    void rendersOnePanelPerFamilyThreePerRow() {
        List<RoundSummary> rounds = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            RoundSummary s = new RoundSummary(r, 1.0 / (r + 1), 100, Map.of(), Map.of());
            for (String name : moeNames()) {
                s.metrics().put(name, r * 0.1 + name.length());
            }
            rounds.add(s);
        }
        BufferedImage image = MetricPanels.render(rounds);
        assertThat(image.getWidth()).isEqualTo(3 * ChartGrid.PANEL_WIDTH);
        assertThat(image.getHeight()).isEqualTo(3 * ChartGrid.PANEL_HEIGHT);   // 7 panels: rows of 3, 3, 1
        // cells row-major: the 7th (row 3, column 1) holds a chart, the 8th and 9th stay blank
        assertThat(nonWhite(image, 0, 2)).isGreaterThan(10_000);
        assertThat(nonWhite(image, 1, 2)).isZero();
        assertThat(nonWhite(image, 2, 2)).isZero();
    }

    private static int nonWhite(BufferedImage image, int col, int row) {
        int n = 0;
        for (int y = row * ChartGrid.PANEL_HEIGHT; y < (row + 1) * ChartGrid.PANEL_HEIGHT; y++) {
            for (int x = col * ChartGrid.PANEL_WIDTH; x < (col + 1) * ChartGrid.PANEL_WIDTH; x++) {
                n += (image.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF ? 0 : 1;
            }
        }
        return n;
    }

    @Test
    void noFiniteMetricGivesNoChart() {
        RoundSummary s = new RoundSummary(0, 1.0, 10, Map.of(), Map.of());
        s.metrics().put("accuracy", Double.NaN);
        assertThat(MetricPanels.render(List.of(s))).isNull();
    }
}
