package io.concord.workload.moe;

import io.concord.core.moe.LayerRouting;
import io.concord.core.moe.RoutingTally;
import io.concord.run.ReportCharts;
import io.concord.run.RunDirectory;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The per-domain expert selection frequencies of the held-out set (Qiu et al. Fig. 1b): for every MoE layer and
 * domain, the fraction of the domain's routed tokens whose top-K contains each expert (a row sums to K; uniform
 * routing gives K/N_E everywhere). Written to the run's {@code report/} as {@code expert-frequency.csv} (with an
 * {@code all} row per layer and the domain's mean top-K score sum) and one heatmap PNG per layer.
 */
final class ExpertFrequencyReport {

    static final String CSV = "report/expert-frequency.csv";

    private ExpertFrequencyReport() {
    }

    static String heatmapPath(int layer) {
        return "report/expert-frequency-layer" + layer + ".png";
    }

    static void write(RunDirectory dir, RoutingTally tally, List<String> domains) {
        dir.writeString(CSV, csv(tally, domains));
        if (tally.numDomains() > 0) {
            for (LayerRouting r : tally.layers()) {
                ReportCharts.save(dir, heatmapPath(r.layer()), heatmap(r, domains, tally.topK()));
            }
        }
    }

    static String csv(RoutingTally tally, List<String> domains) {
        StringBuilder sb = new StringBuilder("layer,domain,tokens,topKScoreSum");
        for (int e = 0; e < tally.numExperts(); e++) {
            sb.append(",expert").append(e);
        }
        sb.append('\n');
        for (LayerRouting r : tally.layers()) {
            row(sb, r.layer(), "all", tally.tokens(), r.meanTopKScoreSum(), r.selectionFrequency());
            for (int d = 0; d < tally.numDomains(); d++) {
                row(sb, r.layer(), csvText(domains.get(d)), tally.domainTokens(d), r.domainMeanTopKScoreSum()[d],
                        r.domainFrequency()[d]);
            }
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, int layer, String domain, long tokens, double topK, double[] freq) {
        sb.append(layer).append(',').append(domain).append(',').append(tokens).append(',').append(num(topK));
        for (double f : freq) {
            sb.append(',').append(num(f));
        }
        sb.append('\n');
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "";
    }

    private static String csvText(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    static HeatMapChart heatmap(LayerRouting r, List<String> domains, int topK) {
        int experts = r.selectionFrequency().length;
        double max = (double) topK / experts;
        for (double[] row : r.domainFrequency()) {
            for (double f : row) {
                max = Math.max(max, f);
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(600, 160 + 52 * experts))
                .height(Math.max(400, 120 + 36 * domains.size()))
                .title("Expert selection frequency by domain, layer " + r.layer() + " (uniform = "
                        + String.format(Locale.ROOT, "%.3f", (double) topK / experts) + ")")
                .xAxisTitle("expert").yAxisTitle("domain").build();
        chart.getStyler().setShowValue(experts <= 32);
        chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.getStyler().setHeatMapValueDecimalPattern("0.00");
        chart.getStyler().setMin(0.0);
        chart.getStyler().setMax(Math.ceil(max * 20) / 20);
        chart.getStyler().setRangeColors(new Color[] {new Color(247, 251, 255), new Color(107, 174, 214),
                new Color(8, 48, 107)});
        List<Integer> x = new ArrayList<>();
        for (int e = 0; e < experts; e++) {
            x.add(e);
        }
        List<Number[]> cells = new ArrayList<>();
        for (int d = 0; d < domains.size(); d++) {
            for (int e = 0; e < experts; e++) {
                cells.add(new Number[] {e, d, r.domainFrequency()[d][e]});
            }
        }
        chart.addSeries("frequency", x, domains, cells);
        return chart;
    }
}
