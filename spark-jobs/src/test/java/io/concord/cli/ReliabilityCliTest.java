package io.concord.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.concord.config.Redaction;
import io.concord.run.RunDirectory;
import io.concord.run.RunLock;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FaultyFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lifecycle and security of {@code concord train} on local Spark: the run lock, leftover staging, I/O failures
 * (a full disk through a fault-injecting file system), the config hash of committed runs, redaction and provenance.
 */
class ReliabilityCliTest {

    private static final String SECRET = "s3cr3t-Value-42";

    @TempDir
    Path tmp;

    private String[] train(String runId, String... extra) {
        return trainInto(tmp.resolve("out").toString(), runId, extra);
    }

    private static String[] trainInto(String output, String runId, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "logreg", "--output", output,
                "--run-id", runId, "--master", "local[2]", "--no-progress",
                "--set", "data.generate.examples=400", "--set", "data.generate.testExamples=100",
                "--set", "train.rounds=4", "--set", "train.batchSize=32", "--set", "eval.every=2"));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    private Path out(String relative) {
        return tmp.resolve("out").resolve(relative);
    }

    @Test
    void aSecondSubmissionWhileTheLockIsHeldExitsFourNamingTheHolder() throws IOException {
        RunDirectory other = RunDirectory.of(tmp.resolve("out").toString(), "busy",
                new Configuration());
        try (RunLock held = other.lock(Duration.ofMinutes(5))) {
            held.setAppId("app-20261203-0001");
            CliRun run = CliRun.of(train("busy"));
            assertThat(run.exitCode()).isEqualTo(ConcordMain.BAD_OUTPUT);
            assertThat(errorLine(run)).contains("run busy is locked by app app-20261203-0001")
                    .contains("pid " + ProcessHandle.current().pid());
            assertThat(out("busy")).doesNotExist();
            assertThat(out("_staging/busy")).doesNotExist();
        }
    }

    @Test
    void twoSimultaneousSubmissionsNeverMix() throws Exception {
        CompletableFuture<CliRun> a = CompletableFuture.supplyAsync(() -> CliRun.of(train("same", "--set", "seed=1")));
        CompletableFuture<CliRun> b = CompletableFuture.supplyAsync(() -> CliRun.of(train("same", "--set", "seed=2")));
        CliRun first = a.get();
        CliRun second = b.get();
        List<CliRun> winners = new ArrayList<>();
        for (CliRun run : List.of(first, second)) {
            if (run.exitCode() == 0) {
                winners.add(run);
            } else {
                // refused by the lock (4) or, when it came after the commit, by the config hash (2)
                assertThat(run.exitCode()).as(run.err()).isIn(ConcordMain.BAD_OUTPUT, ConcordMain.USAGE);
                assertThat(errorLine(run)).containsAnyOf("is locked by", "differing keys: seed");
            }
        }
        assertThat(winners).hasSize(1);
        String winnerSeed = winners.get(0) == first ? "seed: 1" : "seed: 2";
        assertThat(out("same/config.effective.yaml")).content().contains(winnerSeed);
        assertThat(out("same/summary.json")).exists();
        assertThat(out("same/model/params.bin")).exists();
        assertThat(out("_staging")).doesNotExist();
    }

    @Test
    void aRerunAfterACrashIsRefusedUntilResumeOrOverwrite() throws IOException {
        CliRun crashed = CliRun.of(train("crash", "--set", "train.checkpointEvery=2",
                "--set", "train.injectFault.round=3", "--set", "train.injectFault.partition=0"));
        assertThat(crashed.exitCode()).isEqualTo(ConcordMain.FAILED);
        assertThat(out("_staging/crash/_FAILED")).content().contains("injected");
        assertThat(out("_staging/crash.lock")).doesNotExist();

        CliRun plain = CliRun.of(train("crash", "--set", "train.checkpointEvery=2"));
        assertThat(plain.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(errorLine(plain)).contains("unfinished staging directory").contains("--resume")
                .contains("--overwrite").contains("_FAILED");
        assertThat(out("_staging/crash/checkpoints/round-00000002/manifest.json")).exists();

        CliRun otherConfig = CliRun.of(train("crash", "--set", "train.checkpointEvery=2", "--set", "optimizer.lr=0.3",
                "--resume"));
        assertThat(otherConfig.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(errorLine(otherConfig)).contains("round-00000002 belongs to another config");
        assertThat(out("_staging/crash/checkpoints/round-00000002/manifest.json")).exists();

        CliRun overwritten = CliRun.of(train("crash", "--set", "train.checkpointEvery=2", "--overwrite"));
        assertThat(overwritten.exitCode()).as(overwritten.err()).isZero();
        assertThat(overwritten.out()).doesNotContain("resuming from");
        assertThat(out("crash/_SUCCESS")).exists();
        assertThat(out("crash/_FAILED")).doesNotExist();
    }

    @Test
    void aFullDiskIsAnIoErrorNamingThePathAndTheRunResumesAfterwards() throws IOException {
        String output = "faulty://" + tmp.resolve("out");
        String impl = "spark.conf.spark.hadoop.fs.faulty.impl=" + FaultyFileSystem.class.getName();
        String noCache = "spark.conf.spark.hadoop.fs.faulty.impl.disable.cache=true";
        CliRun full = CliRun.of(trainInto(output, "full", "--set", impl, "--set", noCache,
                "--set", "train.checkpointEvery=2",
                "--set", "spark.conf.spark.hadoop." + FaultyFileSystem.FAIL_ON + "=round-00000004"));
        assertThat(full.exitCode()).as(full.err()).isEqualTo(ConcordMain.BAD_OUTPUT);
        assertThat(errorLine(full)).matches("concord: error: writing checkpoint faulty:/.*/out/_staging/full/"
                + "checkpoints/round-00000004: " + FaultyFileSystem.NO_SPACE);
        assertThat(full.err()).doesNotContain("\tat ");
        assertThat(out("full")).doesNotExist();
        assertThat(out("_staging/full/_FAILED")).content().contains(FaultyFileSystem.NO_SPACE);

        CliRun resumed = CliRun.of(trainInto(output, "full", "--set", impl, "--set", noCache,
                "--set", "train.checkpointEvery=2", "--resume"));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("round-00000002 at round 2");
        assertThat(out("full/_SUCCESS")).exists();
        assertThat(out("full/_FAILED")).doesNotExist();
    }

    @Test
    void aFullDiskWhileWritingTheModelCommitsNothing() {
        String output = "faulty://" + tmp.resolve("out");
        CliRun full = CliRun.of(trainInto(output, "model", "--set",
                "spark.conf.spark.hadoop.fs.faulty.impl=" + FaultyFileSystem.class.getName(),
                "--set", "spark.conf.spark.hadoop.fs.faulty.impl.disable.cache=true",
                "--set", "spark.conf.spark.hadoop." + FaultyFileSystem.FAIL_ON + "=model/params.bin"));
        assertThat(full.exitCode()).as(full.err()).isEqualTo(ConcordMain.BAD_OUTPUT);
        assertThat(errorLine(full)).contains("/out/_staging/model").contains(FaultyFileSystem.NO_SPACE);
        assertThat(out("model")).doesNotExist();
    }

    @Test
    void anOverLongRunIdIsAUsageErrorThatCreatesNothing() {
        String id = "r".repeat(RunDirectory.MAX_RUN_ID_LENGTH + 1);
        CliRun run = CliRun.of(train(id));
        assertThat(run.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(errorLine(run)).isEqualTo("concord: error: --run-id: is 201 characters long; at most 200 are "
                + "allowed");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void resubmittingACommittedRunIdWithAnotherConfigIsRefusedNamingTheKeys() throws IOException {
        CliRun first = CliRun.of(train("sweep-point"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        String hash = new ObjectMapper().readTree(out("sweep-point/summary.json").toFile())
                .path("provenance").path("configHash").asText();
        assertThat(hash).hasSize(64);
        assertThat(out("sweep-point/config.effective.yaml")).content().contains("configHash: " + hash);

        CliRun same = CliRun.of(train("sweep-point"));
        assertThat(same.exitCode()).isZero();
        assertThat(same.out()).contains("already committed");

        CliRun changed = CliRun.of(train("sweep-point", "--set", "train.rounds=3", "--set", "optimizer.lr=0.2"));
        assertThat(changed.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(errorLine(changed)).contains("was committed with another config")
                .contains("differing keys: optimizer.lr, train.rounds").contains("--overwrite");

        CliRun overwrite = CliRun.of(train("sweep-point", "--set", "train.rounds=3", "--overwrite"));
        assertThat(overwrite.exitCode()).as(overwrite.err()).isZero();
        assertThat(out("sweep-point/config.effective.yaml")).content().contains("rounds: 3");
    }

    @Test
    void secretsAreRedactedInOutputConfigSummaryAndErrors() throws IOException {
        CliRun run = CliRun.of(train("secret", "--set", "spark.conf.spark.authenticate.secret=" + SECRET,
                "--set", "spark.conf.spark.hadoop.fs.s3a.secret.key=" + SECRET,
                "--set", "spark.conf.spark.hadoop.fs.s3a.access.key=" + SECRET));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out() + run.err()).doesNotContain(SECRET).contains(Redaction.REPLACEMENT);
        JsonNode saved = new YAMLMapper().readTree(out("secret/config.effective.yaml").toFile());
        assertThat(saved.path("spark").path("conf").path("spark.authenticate.secret").asText())
                .isEqualTo(Redaction.REPLACEMENT);
        assertThat(saved.path("spark").path("conf").path("spark.hadoop.fs.s3a.access.key").asText())
                .isEqualTo(Redaction.REPLACEMENT);
        assertThat(saved.path("provenance").path("spark").path("conf").path("spark.hadoop.fs.s3a.secret.key")
                .asText()).isEqualTo(Redaction.REPLACEMENT);
        try (var files = Files.walk(out("secret"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(file.toString()).doesNotContain(SECRET);
            }
        }

        CliRun bad = CliRun.of(train("secret-bad", "--set", "spark.conf.spark.authenticate.secret={a: " + SECRET + "}"));
        assertThat(bad.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(errorLine(bad)).contains("spark.conf").contains(Redaction.REPLACEMENT);
        assertThat(bad.out() + bad.err()).doesNotContain(SECRET);
        CliRun malformed = CliRun.of("validate", "logreg", "--set", "spark.conf.my.password" + SECRET);
        assertThat(malformed.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(malformed.out() + malformed.err()).doesNotContain(SECRET);
    }

    @Test
    void provenanceRecordsTheRealRunAndTheInputs() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        StringBuilder csv = new StringBuilder("label,x1,x2\n");
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            int label = i % 2;
            csv.append(label).append(',').append(label * 2 + random.nextGaussian()).append(',')
                    .append(random.nextGaussian()).append('\n');
        }
        Files.writeString(data.resolve("part-0.csv"), csv);
        Path config = tmp.resolve("csv.yaml");
        Files.writeString(config, "data:\n  path: " + data + "\ntrain:\n  rounds: 3\n");
        CliRun run = CliRun.of("train", "logreg", "--config", config.toString(), "--output",
                tmp.resolve("out").toString(), "--run-id", "prov", "--master", "local[2]", "--no-progress");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("summary: " + out("prov/summary.json").toUri().getPath().replaceAll("/$", ""))
                .contains("report: ");

        JsonNode effective = new YAMLMapper().readTree(out("prov/config.effective.yaml").toFile());
        JsonNode provenance = effective.path("provenance");
        assertThat(provenance.path("spark").path("master").asText()).isEqualTo("local[2]");
        assertThat(provenance.path("spark").path("appId").asText()).startsWith("local-");
        assertThat(provenance.path("spark").path("conf").path("spark.master").asText()).isEqualTo("local[2]");
        assertThat(provenance.path("platform").path("arch").asText()).isEqualTo(System.getProperty("os.arch"));
        assertThat(provenance.path("versions").has("gitCommit")).isTrue();
        JsonNode input = provenance.path("inputs").get(0);
        assertThat(input.path("path").asText()).endsWith(data.toString());
        assertThat(input.path("files").asInt()).isEqualTo(1);
        assertThat(input.path("bytes").asLong()).isEqualTo(Files.size(data.resolve("part-0.csv")));
        assertThat(input.path("listed").get(0).path("size").asLong()).isEqualTo(Files.size(data.resolve("part-0.csv")));

        JsonNode summary = new ObjectMapper().readTree(out("prov/summary.json").toFile());
        assertThat(summary.path("objective").path("metric").asText()).isEqualTo("accuracy");
        assertThat(summary.path("objective").path("direction").asText()).isEqualTo("maximize");
        assertThat(summary.path("metrics").path("bestRound").isIntegralNumber()).isTrue();
        assertThat(summary.path("provenance").path("spark").path("appId").asText())
                .isEqualTo(provenance.path("spark").path("appId").asText());
    }

    private static String errorLine(CliRun run) {
        String[] lines = run.err().strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("concord: error:")) {
                return lines[i];
            }
        }
        return lines[lines.length - 1];
    }
}
