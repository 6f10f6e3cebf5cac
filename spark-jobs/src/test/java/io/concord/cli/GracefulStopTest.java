package io.concord.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.job.GracefulStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real child JVM running {@code concord train} with its output going to a file (no terminal, as under nohup or Airflow), stopped with SIGTERM
 * in the middle of training: it prints progress lines at the configured interval, then writes a checkpoint, exits
 * 143 with one line and no stack trace, commits nothing and leaves staging that {@code --resume} continues to the
 * bit-identical result of an uninterrupted run, with the same metrics history.
 */
class GracefulStopTest {

    private static final Pattern ROUND = Pattern.compile("progress [0-9:]+: round (\\d+)/");

    @TempDir
    Path tmp;

    private List<String> train(String runId, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "logreg", "--output", tmp.resolve("out").toString(),
                "--run-id", runId, "--master", "local[2]", "--no-progress",
                "--set", "data.generate.examples=2000", "--set", "data.generate.testExamples=200",
                "--set", "train.rounds=600", "--set", "train.batchSize=16", "--set", "train.partitions=2",
                "--set", "train.checkpointEvery=100000", "--set", "eval.every=5"));
        args.addAll(Arrays.asList(extra));
        return args;
    }

    @Test
    void sigtermDuringTrainingCheckpointsExits143AndResumesBitIdentically() throws Exception {
        CliRun reference = CliRun.of(train("uninterrupted").toArray(String[]::new));
        assertThat(reference.exitCode()).as(reference.err()).isZero();

        Path log = tmp.resolve("child.log");
        Process child = childJvm(train("stopped", "--progress-every", "0.2"), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        boolean started = false;
        while (!started && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            Matcher m = ROUND.matcher(Files.readString(log));
            while (m.find()) {
                started |= Integer.parseInt(m.group(1)) >= 12;
            }
        }
        assertThat(started).as("a progress line of a round >= 12 within 240 s:\n%s", Files.readString(log))
                .isTrue();
        child.destroy(); // SIGTERM
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log);

        assertThat(child.exitValue()).as(out).isEqualTo(143).isEqualTo(GracefulStop.exitCode("SIGTERM"));
        assertThat(out).contains("SIGTERM received: stopping after the current round")
                .doesNotContain("Cannot call methods on a stopped SparkContext")
                .doesNotContain("\tat ");
        // progress lines with no terminal: round, epoch, rate, loss, ETA and the last evaluation
        assertThat(out).containsPattern("progress [0-9:]+: round \\d+/600 \\([0-9.]+%\\) epoch \\d+/\\d+ \\| \\d+ "
                + "examples/s \\| loss [0-9.e+-]+ \\| ETA \\S+ \\| last eval \\(round \\d+\\) accuracy=");
        assertThat(out).contains("sharding ").contains("partitions: done in ");
        Matcher stop = Pattern.compile("concord: stopped by SIGTERM after (\\d+) rounds; checkpoint (\\S+) kept; "
                + "continue with --resume").matcher(out);
        assertThat(stop.find()).as(out).isTrue();
        int rounds = Integer.parseInt(stop.group(1));
        assertThat(rounds).isBetween(12, 599);
        Path staging = tmp.resolve("out/_staging/stopped");
        assertThat(stop.group(2)).endsWith(String.format("round-%08d", rounds));
        assertThat(staging.resolve(String.format("checkpoints/round-%08d/params.bin", rounds))).exists();
        assertThat(tmp.resolve("out/stopped")).doesNotExist();
        JsonNode summary = new ObjectMapper().readTree(staging.resolve("summary.json").toFile());
        assertThat(summary.path("status").asText()).isEqualTo("stopped");
        assertThat(summary.path("rounds").asInt()).isEqualTo(rounds);
        assertThat(Files.readAllLines(staging.resolve("metrics.jsonl"))).hasSize(rounds);

        CliRun resumed = CliRun.of(train("stopped", "--resume").toArray(String[]::new));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains(String.format("round-%08d at round %d", rounds, rounds));
        Path done = tmp.resolve("out/stopped");
        Path expected = tmp.resolve("out/uninterrupted");
        assertThat(Files.readAllBytes(done.resolve("model/params.bin")))
                .isEqualTo(Files.readAllBytes(expected.resolve("model/params.bin")));
        assertThat(withoutTimings(done.resolve("metrics.jsonl"))).hasSize(600)
                .isEqualTo(withoutTimings(expected.resolve("metrics.jsonl")));
    }

    /** metrics.jsonl rows without the per-round timings (the only part that differs between runs). */
    static List<String> withoutTimings(Path jsonl) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode node = json.readTree(line);
            ((ObjectNode) node).remove("timingsMs");
            rows.add(node.toString());
        }
        return rows;
    }

    /** The CLI in a fresh JVM with this JVM's options and classpath, stdout and stderr both going to a file. */
    static Process childJvm(List<String> cliArgs, Path output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-javaagent") && !a.startsWith("-agentlib")
                        && !a.startsWith("-Xmx"))
                .collect(Collectors.toList()));
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ConcordMain.class.getName());
        command.addAll(cliArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }
}
