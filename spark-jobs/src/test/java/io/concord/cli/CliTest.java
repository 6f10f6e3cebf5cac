package io.concord.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** End-to-end runs of {@code concord train} on local Spark: commit protocol, idempotency, resume and bad input. */
class CliTest {

    @TempDir
    Path tmp;

    private String[] train(String runId, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "logreg", "--output", tmp.resolve("out").toString(),
                "--run-id", runId, "--master", "local[2]", "--no-progress",
                "--set", "data.generate.examples=600", "--set", "data.generate.testExamples=200",
                "--set", "train.rounds=6", "--set", "train.batchSize=32", "--set", "eval.every=3"));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    private Path runDir(String runId) {
        return tmp.resolve("out").resolve(runId);
    }

    @Test
    void commitsARunAndResubmittingItIsANoOp() throws IOException {
        CliRun first = CliRun.of(train("r1"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        Path dir = runDir("r1");
        assertThat(dir.resolve("_SUCCESS")).exists();
        assertThat(dir.resolve("config.effective.yaml")).content().contains("seed: 42").contains("rounds: 6")
                .contains("sparkRuntime: 3.5");
        assertThat(dir.resolve("model/params.bin")).exists();
        assertThat(Files.readAllLines(dir.resolve("metrics.csv"))).hasSize(7);
        assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(6);
        assertThat(dir.resolve("report/loss.png")).exists();
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.path("job").asText()).isEqualTo("logreg");
        assertThat(summary.path("runId").asText()).isEqualTo("r1");
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        assertThat(summary.path("rounds").asInt()).isEqualTo(6);
        assertThat(summary.path("wallSeconds").asDouble()).isPositive();
        assertThat(summary.path("finalLoss").isNumber()).isTrue();
        assertThat(summary.path("metrics").path("accuracy").asDouble()).isGreaterThan(0.5);
        assertThat(tmp.resolve("out/_staging")).doesNotExist();

        long committedAt = Files.getLastModifiedTime(dir.resolve("_SUCCESS")).toMillis();
        CliRun again = CliRun.of(train("r1"));
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("already committed");
        assertThat(Files.getLastModifiedTime(dir.resolve("_SUCCESS")).toMillis()).isEqualTo(committedAt);

        CliRun overwrite = CliRun.of(train("r1", "--overwrite", "--set", "train.rounds=3"));
        assertThat(overwrite.exitCode()).as(overwrite.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(3);
    }

    @Test
    void aFailedRunCommitsNothingAndResumeGivesTheUninterruptedResult() throws IOException {
        CliRun reference = CliRun.of(train("uninterrupted", "--set", "train.checkpointEvery=2"));
        assertThat(reference.exitCode()).as(reference.err()).isZero();

        // local[2] allows no task retries, so the injected fault kills the job in round 4, after the round-4
        // checkpoint (rounds 0..3 done) was written.
        CliRun crashed = CliRun.of(train("resumable", "--set", "train.checkpointEvery=2",
                "--set", "train.injectFault.round=4", "--set", "train.injectFault.partition=1"));
        assertThat(crashed.exitCode()).isEqualTo(ConcordMain.FAILED);
        assertThat(runDir("resumable")).doesNotExist();
        assertThat(tmp.resolve("out/_staging/resumable/checkpoints/round-00000004")).exists();

        CliRun resumed = CliRun.of(train("resumable", "--set", "train.checkpointEvery=2", "--resume"));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming from").contains("round-00000004 at round 4");
        assertThat(Files.readAllBytes(runDir("resumable").resolve("model/params.bin")))
                .isEqualTo(Files.readAllBytes(runDir("uninterrupted").resolve("model/params.bin")));
        assertThat(Files.readAllLines(runDir("resumable").resolve("metrics.jsonl"))).hasSize(6);
    }

    @Test
    void unknownKeyIsAUsageErrorNamingTheKey() {
        CliRun run = CliRun.of(train("bad1", "--set", "train.batchSzie=3"));
        assertThat(run.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(run.err()).contains("train.batchSzie").contains("unknown config key").contains("batchSize");
        assertThat(lastLine(run.err())).startsWith("concord: error: train.batchSzie");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void wrongTypeIsAUsageErrorNamingKeyAndValue() {
        CliRun run = CliRun.of(train("bad2", "--set", "train.rounds=many"));
        assertThat(run.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(run.err()).contains("train.rounds").contains("many").contains("an integer");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void outOfRangeValueIsAUsageErrorSayingWhatIsAllowed() {
        CliRun run = CliRun.of(train("bad3", "--set", "train.batchSize=-5"));
        assertThat(run.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(run.err()).contains("train.batchSize: -5 is not allowed; must be an integer >= 0");
        CliRun sync = CliRun.of(train("bad4", "--set", "train.sync=ring"));
        assertThat(sync.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(sync.err()).contains("train.sync").contains("global-batch, parameter-averaging");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void missingInputPathIsAnInputErrorAndCommitsNothing() throws IOException {
        Path config = tmp.resolve("missing.yaml");
        Files.writeString(config, "data:\n  path: " + tmp.resolve("no-such-dir") + "\n");
        CliRun run = CliRun.of("train", "logreg", "--config", config.toString(), "--output",
                tmp.resolve("out").toString(), "--run-id", "m", "--master", "local[2]", "--no-progress");
        assertThat(run.exitCode()).isEqualTo(ConcordMain.BAD_INPUT);
        assertThat(run.err()).contains("no-such-dir").contains("does not exist");
        assertThat(runDir("m")).doesNotExist();
    }

    @Test
    void emptyDatasetIsAnInputErrorAndCommitsNothing() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(data.resolve("part-0.csv"), "label,x1,x2\n");
        Path config = tmp.resolve("empty.yaml");
        Files.writeString(config, "data:\n  path: " + data + "\n");
        CliRun run = CliRun.of("train", "logreg", "--config", config.toString(), "--output",
                tmp.resolve("out").toString(), "--run-id", "e", "--master", "local[2]", "--no-progress");
        assertThat(run.exitCode()).isEqualTo(ConcordMain.BAD_INPUT);
        assertThat(run.err()).contains("empty");
        assertThat(runDir("e")).doesNotExist();
    }

    @Test
    void malformedDataNamesFileAndLine() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(data.resolve("part-0.csv"), "0,1.0,2.0\n1,0.5,x\n");
        Path config = tmp.resolve("bad.yaml");
        Files.writeString(config, "data:\n  path: " + data + "\n");
        CliRun run = CliRun.of("train", "logreg", "--config", config.toString(), "--output",
                tmp.resolve("out").toString(), "--run-id", "b", "--master", "local[2]", "--no-progress");
        assertThat(run.exitCode()).isEqualTo(ConcordMain.BAD_INPUT);
        assertThat(lastLine(run.err())).contains("part-0.csv:2").contains("feature 2 'x' is not a number");
        assertThat(runDir("b")).doesNotExist();
    }

    @Test
    void unwritableOutputIsAnOutputError() throws IOException {
        Path blocker = Files.writeString(tmp.resolve("a-file"), "not a directory");
        CliRun run = CliRun.of("train", "logreg", "--output", blocker.toString(), "--run-id", "w",
                "--master", "local[2]", "--no-progress");
        assertThat(run.exitCode()).isEqualTo(ConcordMain.BAD_OUTPUT);
        assertThat(run.err()).contains("a-file");
    }

    @Test
    void validatePrintsTheEffectiveConfigWithDefaults() {
        CliRun run = CliRun.of("validate", "logreg", "--set", "optimizer.lr=0.1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("lr: 0.1").contains("storageLevel: MEMORY_AND_DISK_SER")
                .contains("config is valid");
        CliRun badOptimizer = CliRun.of("validate", "logreg", "--set", "optimizer.lr=-1");
        assertThat(badOptimizer.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(badOptimizer.err()).contains("optimizer.lr");
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("concord: error:")) {
                return lines[i];
            }
        }
        return lines[lines.length - 1];
    }
}
