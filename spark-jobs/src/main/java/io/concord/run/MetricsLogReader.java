package io.concord.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.engine.RoundSummary;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reloads the rounds already logged in a staged run, so a resumed run's metrics files stay complete. */
public final class MetricsLogReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsLogReader() {
    }

    /** The history segments in round order if there are any, else the full {@code metrics.jsonl}, else nothing. */
    public static MetricsLog read(RunDirectory dir) {
        MetricsLog log = new MetricsLog();
        Path history = dir.staged(MetricsLog.HISTORY);
        try {
            if (dir.fs().exists(history)) {
                FileStatus[] segments = dir.fs().listStatus(history, p -> p.getName().startsWith("metrics-"));
                Arrays.sort(segments, Comparator.comparing(f -> f.getPath().getName()));
                for (FileStatus segment : segments) {
                    readInto(dir, segment.getPath(), log);
                }
                return log;
            }
        } catch (IOException e) {
            throw new RunDirectory.OutputException("reading " + history + " failed: " + e.getMessage(), e);
        }
        Path file = dir.staged("metrics.jsonl");
        try {
            if (dir.fs().exists(file)) {
                readInto(dir, file, log);
            }
        } catch (IOException e) {
            throw new RunDirectory.OutputException("reading " + file + " failed: " + e.getMessage(), e);
        }
        return log;
    }

    private static void readInto(RunDirectory dir, Path file, MetricsLog log) {
        try {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(dir.fs().open(file),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node = JSON.readTree(line);
                    Map<String, Double> timings = new LinkedHashMap<>();
                    node.path("timingsMs").fields().forEachRemaining(e -> timings.put(e.getKey(),
                            e.getValue().asDouble()));
                    Map<String, Object> statistics = new LinkedHashMap<>();
                    node.path("statistics").fields().forEachRemaining(e -> statistics.put(e.getKey(),
                            JSON.convertValue(e.getValue(), Object.class)));
                    RoundSummary summary = new RoundSummary(node.path("round").asInt(),
                            node.path("loss").asDouble(), node.path("examples").asLong(), statistics, timings);
                    node.path("metrics").fields().forEachRemaining(e -> summary.metrics().put(e.getKey(),
                            e.getValue().asDouble()));
                    log.add(summary);
                }
            }
        } catch (IOException e) {
            throw new RunDirectory.OutputException("reading " + file + " failed: " + e.getMessage(), e);
        }
    }
}
