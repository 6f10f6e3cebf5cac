package io.concord.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.engine.RoundSummary;
import io.concord.run.MetricsLog;
import io.concord.run.RunDirectory;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reloads the rounds already logged in a staged run, so a resumed run's metrics files stay complete. */
public final class MetricsLogReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsLogReader() {
    }

    public static MetricsLog read(RunDirectory dir) {
        MetricsLog log = new MetricsLog();
        Path file = dir.staged("metrics.jsonl");
        try {
            if (!dir.fs().exists(file)) {
                return log;
            }
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
        return log;
    }
}
