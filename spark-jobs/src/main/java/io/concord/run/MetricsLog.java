package io.concord.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.engine.RoundSummary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Per-round metrics of a run, written as {@code metrics.csv} (one column per metric ever seen; empty cells where a
 * round has no value, e.g. evaluation rounds) and {@code metrics.jsonl} (one object per round, statistics included).
 *
 * <p>While a run trains, the history grows in append-only segments {@code history/metrics-<first round>.jsonl}
 * ({@link #appendSegment}: each write costs only the new rows, however long the run); the full files are written at
 * the end ({@link #writeTo}), and also along the way while the log is short. A resumed run reads the segments back
 * ({@link MetricsLogReader}) and {@link #replaceSegments rewrites} them without the rows it makes again.
 */
public final class MetricsLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Statistics larger than this (or not plain arrays) are logged by type only. */
    private static final int MAX_LOGGED = 4096;

    public static final String HISTORY = "history";
    /** Below this many rows the full files are also rewritten at every history write. */
    static final int FULL_REWRITE_ROWS = 10_000;

    private final List<RoundSummary> rounds = new ArrayList<>();
    private int persisted;

    public void add(RoundSummary summary) {
        rounds.add(summary);
    }

    /** This log without the rows of rounds {@code >= nextRound} (those a resumed run makes again). */
    public MetricsLog before(int nextRound) {
        MetricsLog kept = new MetricsLog();
        rounds.stream().filter(r -> r.round() < nextRound).forEach(kept::add);
        return kept;
    }

    public List<RoundSummary> rounds() {
        return rounds;
    }

    public String csv() {
        Set<String> timing = new LinkedHashSet<>();
        Set<String> metrics = new LinkedHashSet<>();
        for (RoundSummary r : rounds) {
            timing.addAll(r.timingsMs().keySet());
            metrics.addAll(r.metrics().keySet());
        }
        StringBuilder sb = new StringBuilder("round,loss,examples");
        timing.forEach(t -> sb.append(",time_").append(t).append("_ms"));
        metrics.forEach(m -> sb.append(',').append(m));
        sb.append('\n');
        for (RoundSummary r : rounds) {
            sb.append(r.round()).append(',').append(num(r.loss())).append(',').append(r.examples());
            timing.forEach(t -> sb.append(',').append(cell(r.timingsMs().get(t))));
            metrics.forEach(m -> sb.append(',').append(cell(r.metrics().get(m))));
            sb.append('\n');
        }
        return sb.toString();
    }

    public String jsonl() {
        return jsonl(0, rounds.size());
    }

    private String jsonl(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (RoundSummary r : rounds.subList(from, to)) {
            ObjectNode node = JSON.createObjectNode();
            node.put("round", r.round());
            node.put("loss", r.loss());
            node.put("examples", r.examples());
            ObjectNode t = node.putObject("timingsMs");
            r.timingsMs().forEach(t::put);
            ObjectNode m = node.putObject("metrics");
            r.metrics().forEach(m::put);
            ObjectNode s = node.putObject("statistics");
            for (Map.Entry<String, Object> e : r.statistics().entrySet()) {
                Object v = e.getValue();
                boolean smallArray = (v instanceof long[] a && a.length <= MAX_LOGGED)
                        || (v instanceof double[] d && d.length <= MAX_LOGGED)
                        || (v instanceof float[] f && f.length <= MAX_LOGGED);
                if (smallArray || v instanceof List<?> || v instanceof Number) {
                    // a List or Number is a value read back by MetricsLogReader (resume): written as it was read
                    s.set(e.getKey(), JSON.valueToTree(v));
                } else if (v instanceof String logged) {
                    s.put(e.getKey(), logged);
                } else {
                    s.put(e.getKey(), v.getClass().getSimpleName());
                }
            }
            sb.append(node).append('\n');
        }
        return sb.toString();
    }

    /** Writes the full {@code metrics.csv} and {@code metrics.jsonl}. */
    public void writeTo(RunDirectory dir) {
        dir.writeString("metrics.csv", csv());
        dir.writeString("metrics.jsonl", jsonl());
    }

    /**
     * Persists the rows added since the last call as a new history segment (and the full files while the log is
     * short).
     */
    public void appendSegment(RunDirectory dir) {
        if (persisted < rounds.size()) {
            dir.writeString(segmentName(rounds.get(persisted).round()), jsonl(persisted, rounds.size()));
            persisted = rounds.size();
        }
        if (rounds.size() <= FULL_REWRITE_ROWS) {
            writeTo(dir);
        }
    }

    /** Replaces every history segment by one holding this log's rows (after a resume dropped later rows). */
    public void replaceSegments(RunDirectory dir) {
        deleteSegments(dir);
        persisted = 0;
        appendSegment(dir);
    }

    /** Removes the segments (at commit: the full files hold the same rows). */
    public static void deleteSegments(RunDirectory dir) {
        try {
            dir.fs().delete(dir.staged(HISTORY), true);
        } catch (IOException e) {
            throw new RunDirectory.OutputException("deleting " + dir.staged(HISTORY) + " failed: " + e.getMessage(),
                    e);
        }
    }

    static String segmentName(int firstRound) {
        return String.format(Locale.ROOT, "%s/metrics-%08d.jsonl", HISTORY, firstRound);
    }

    private static String cell(Double v) {
        return v == null ? "" : num(v);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.9g", v);
    }
}
