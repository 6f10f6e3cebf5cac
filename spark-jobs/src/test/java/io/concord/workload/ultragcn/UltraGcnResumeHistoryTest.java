package io.concord.workload.ultragcn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.concord.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long-run bookkeeping of {@code concord train ultragcn}: the effective config shows the rounds derived from
 * {@code epochs} (not the unused default), {@code eval.csv} grows with the run, and after a crash and
 * {@code --resume} the evaluation and metrics history equal those of an uninterrupted run (rows before the checkpoint
 * kept, rows after it made again), with the training time continued rather than restarted.
 */
class UltraGcnResumeHistoryTest {

    private static final int EPOCHS = 4;
    private static final int FAILED = 1;

    @TempDir
    Path tmp;

    private String[] args(String runId, String... extra) {
        List<String> a = new ArrayList<>(Arrays.asList(UltraGcnCliTest.args(tmp.resolve("out"), runId,
                "--set", "train.sync=global-batch", "--set", "train.localSteps=1", "--set", "epochs=" + EPOCHS,
                "--set", "eval.every=1", "--set", "checkpointEpochs=2")));
        a.addAll(Arrays.asList(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void validateShowsTheRoundsAsDerivedFromEpochs() {
        CliRunner.Result validate = CliRunner.run("validate", "ultragcn", "--set", "epochs=7",
                "--set", "checkpointEpochs=2");
        assertThat(validate.exitCode()).as(validate.err()).isZero();
        assertThat(validate.out()).contains("derived:")
                .contains("train.rounds: \"epochs x rounds per epoch = 7 x ceil(train positives")
                .contains("train.checkpointEvery: \"checkpointEpochs x rounds per epoch = 2 x");
        String train = validate.out().substring(validate.out().indexOf("\ntrain:"),
                validate.out().indexOf("\nderived:"));
        assertThat(train).contains("batchSize:").doesNotContain("rounds:").doesNotContain("checkpointEvery:");
    }

    @Test
    void crashAndResumeKeepTheHistoryOfAnUninterruptedRun() throws IOException {
        CliRunner.Result reference = CliRunner.run(args("reference"));
        assertThat(reference.exitCode()).as(reference.err()).isZero();
        Path ref = tmp.resolve("out/reference");

        JsonNode effective = new ObjectMapper(new YAMLFactory()).readTree(ref.resolve("config.effective.yaml")
                .toFile());
        JsonNode derived = effective.path("derived");
        int roundsPerEpoch = derived.path("roundsPerEpoch").asInt();
        assertThat(roundsPerEpoch).isGreaterThan(2);
        JsonNode summary = new ObjectMapper().readTree(ref.resolve("summary.json").toFile());
        assertThat(derived.path("train.rounds").asInt()).isEqualTo(EPOCHS * roundsPerEpoch)
                .isEqualTo(summary.path("rounds").asInt());
        assertThat(derived.path("train.checkpointEvery").asInt()).isEqualTo(2 * roundsPerEpoch);
        assertThat(derived.path("globalBatch").asInt()).isEqualTo(2 * 128);
        assertThat(derived.path("trainExamples").asLong()).isEqualTo(summary.path("details")
                .path("trainInteractions").asLong());
        assertThat(effective.path("train").has("rounds")).isFalse();
        assertThat(effective.path("train").path("batchSize").asInt()).isEqualTo(128);

        // local[2] allows no task retries: the injected fault kills the run in epoch 3, after epoch 2's
        // evaluation and the checkpoint of epochs 0-1
        int faultRound = 3 * roundsPerEpoch + 1;
        CliRunner.Result crashed = CliRunner.run(args("resumed", "--set", "train.injectFault.round=" + faultRound,
                "--set", "train.injectFault.partition=1"));
        assertThat(crashed.exitCode()).isEqualTo(FAILED);
        Path staging = tmp.resolve("out/_staging/resumed");
        assertThat(staging.resolve(String.format("checkpoints/round-%08d", 2 * roundsPerEpoch))).exists();
        assertThat(Files.readAllLines(staging.resolve("eval.csv"))).as("eval.csv grows with the run").hasSize(4);

        CliRunner.Result resumed = CliRunner.run(args("resumed", "--resume"));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("at round " + 2 * roundsPerEpoch);
        Path done = tmp.resolve("out/resumed");

        assertThat(Files.readAllBytes(done.resolve("model/params.bin")))
                .isEqualTo(Files.readAllBytes(ref.resolve("model/params.bin")));
        List<String[]> expected = rows(ref.resolve("eval.csv"));
        List<String[]> actual = rows(done.resolve("eval.csv"));
        assertThat(actual).hasSize(EPOCHS);
        for (int i = 0; i < EPOCHS; i++) {
            // epoch, round, loss, recall, ndcg, precision: identical; the timing columns are this run's own
            for (int col : new int[] {0, 1, 5, 6, 7, 8}) {
                assertThat(actual.get(i)[col]).as("row %d column %d", i, col).isEqualTo(expected.get(i)[col]);
            }
            if (i > 0) {
                assertThat(Double.parseDouble(actual.get(i)[2])).as("training time continues")
                        .isGreaterThan(Double.parseDouble(actual.get(i - 1)[2]));
            }
        }
        assertThat(withoutTimings(done.resolve("metrics.jsonl"))).hasSize(EPOCHS * roundsPerEpoch)
                .isEqualTo(withoutTimings(ref.resolve("metrics.jsonl")));
        JsonNode resumedSummary = new ObjectMapper().readTree(done.resolve("summary.json").toFile());
        assertThat(resumedSummary.path("metrics").path("recall@20").asDouble())
                .isEqualTo(summary.path("metrics").path("recall@20").asDouble());
        assertThat(resumedSummary.path("metrics").path("bestEpoch").asInt())
                .isEqualTo(summary.path("metrics").path("bestEpoch").asInt());
        assertThat(resumedSummary.path("metrics").path("trainSeconds").asDouble())
                .isGreaterThan(Double.parseDouble(actual.get(EPOCHS - 1)[2]) - 1e-3);
    }

    private static List<String[]> rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).startsWith("epoch,round,trainSeconds,trainCpuSeconds,evalSeconds,loss,recall@20");
        return lines.stream().skip(1).map(l -> l.split(",")).toList();
    }

    private static List<String> withoutTimings(Path jsonl) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            ObjectNode node = (ObjectNode) json.readTree(line);
            node.remove("timingsMs");
            rows.add(node.toString());
        }
        return rows;
    }
}
