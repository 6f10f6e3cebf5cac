package io.concord.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identical runs give identical evaluation metrics, not only identical parameters: the metric that picks the best
 * round and drives early stopping is summed in partition order (PartitionOrderedSum), on more partitions than cores
 * so tasks finish in varying order.
 */
class ReproducibleEvaluationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void logregEvaluationMetricsAreBitIdenticalAcrossIdenticalRuns() throws IOException {
        assertThat(evaluations("logreg", "a", "--set", "data.generate.testExamples=700"))
                .isNotEmpty()
                .isEqualTo(evaluations("logreg", "b", "--set", "data.generate.testExamples=700"));
    }

    @Test
    void ultragcnRankingMetricsAreBitIdenticalAcrossIdenticalRuns() throws IOException {
        assertThat(evaluations("ultragcn", "a")).isNotEmpty().isEqualTo(evaluations("ultragcn", "b"));
    }

    /** Every evaluation row of metrics.jsonl ("round → metrics" as JSON text, exact doubles). */
    private List<String> evaluations(String job, String runId, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", job, "--output", tmp.resolve(job).toString(),
                "--run-id", runId, "--master", "local[3]", "--no-progress", "--set", "train.partitions=7",
                "--set", "eval.every=2"));
        if (job.equals("logreg")) {
            args.addAll(List.of("--set", "train.rounds=4"));
        }
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve(job).resolve(runId).resolve("metrics.jsonl"))) {
            JsonNode row = JSON.readTree(line);
            if (row.path("metrics").size() > 0) {
                rows.add(row.path("round").asInt() + " " + row.path("metrics"));
            }
        }
        return rows;
    }
}
