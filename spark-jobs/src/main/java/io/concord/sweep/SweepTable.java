package io.concord.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.sweep.Sweep.Outcome;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results table of a sweep: one row per point (run id, axis values, exit code, status, rounds, wall time, final
 * loss, then the objective metric and every other metric in summary.json), as CSV and as aligned text.
 */
final class SweepTable {

    private final List<String> columns = new ArrayList<>();
    private final List<Map<String, Object>> rows = new ArrayList<>();

    SweepTable(List<String> axes, List<Outcome> outcomes, String metric) {
        List<String> metrics = new ArrayList<>();
        if (metric != null) {
            metrics.add(metric);
        }
        for (Outcome o : outcomes) {
            Map<String, Object> row = Sweep.row(axes, o);
            if (o.summary() != null) {
                o.summary().path("metrics").fields().forEachRemaining(e -> {
                    if (!metrics.contains(e.getKey())) {
                        metrics.add(e.getKey());
                    }
                });
            }
            rows.add(row);
            if (columns.isEmpty()) {
                columns.addAll(row.keySet());
            }
        }
        if (columns.isEmpty()) {
            columns.add("runId");
        }
        columns.addAll(metrics);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode s = outcomes.get(i).summary();
            for (String m : metrics) {
                JsonNode v = s == null ? null : s.path("metrics").get(m);
                rows.get(i).put(m, v == null ? "" : v.isNumber() ? v.asDouble() : v.asText());
            }
        }
    }

    String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", columns.stream().map(SweepTable::csvCell).toList()))
                .append('\n');
        for (Map<String, Object> row : rows) {
            sb.append(String.join(",", columns.stream().map(c -> csvCell(String.valueOf(row.getOrDefault(c, ""))))
                    .toList())).append('\n');
        }
        return sb.toString();
    }

    String text() {
        Map<String, Integer> width = new LinkedHashMap<>();
        for (String c : columns) {
            int w = c.length();
            for (Map<String, Object> row : rows) {
                w = Math.max(w, cell(row.get(c)).length());
            }
            width.put(c, w);
        }
        StringBuilder sb = new StringBuilder();
        columns.forEach(c -> sb.append(pad(c, width.get(c))).append("  "));
        sb.append('\n');
        for (Map<String, Object> row : rows) {
            columns.forEach(c -> sb.append(pad(cell(row.get(c)), width.get(c))).append("  "));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String cell(Object v) {
        return v instanceof Double d ? Sweep.fmt(d) : v == null ? "" : v.toString();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
