package io.concord.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/submit} hands ordinary spark-submit options ({@code --conf}, {@code --executor-memory},
 * {@code --name}-less defaults) to a real standalone cluster started by {@code scripts/local-cluster} (one worker
 * with two cores, its own ports), and the run records what it really ran on: the spark:// master and the passed
 * conf in {@code config.effective.yaml}; the master's own application list shows the requested cores and memory.
 * {@code scripts/local-cluster stop} ends exactly the process groups it started.
 */
@Tag("cluster")
class SubmitPassthroughIT {

    private static final String MASTER_PORT = "17277";
    private static final String UI_PORT = "18280";
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Result r = script("scripts/local-cluster", "start", "--workers", "1", "--cores", "2", "--memory", "2g");
        assertThat(r.code).as(r.output).isZero();
        assertThat(r.output).contains("with 1 workers x 2 cores, 2g");
    }

    @AfterAll
    static void stop() throws Exception {
        script("scripts/local-cluster", "stop");
    }

    @Test
    void sparkSubmitOptionsReachTheClusterAndTheRunRecordsTheRealMasterAndConf() throws Exception {
        Path output = tmp.resolve("runs");
        Result run = script("scripts/submit", "--master", "spark://127.0.0.1:" + MASTER_PORT,
                "--executor-memory", "700m", "--conf", "spark.cores.max=1", "--conf=spark.concord.marker=passed",
                "--driver-memory", "1g",
                "train", "logreg", "--output", output.toString(), "--run-id", "passthrough", "--no-progress",
                "--set", "train.rounds=4", "--set", "train.partitions=2", "--set", "eval.every=4",
                "--set", "data.generate.examples=2000");
        assertThat(run.code).as(run.output).isZero();
        Path dir = output.resolve("passthrough");
        assertThat(dir.resolve("_SUCCESS")).exists();

        JsonNode effective = new ObjectMapper(new YAMLFactory()).readTree(dir.resolve("config.effective.yaml").toFile());
        JsonNode spark = effective.path("provenance").path("spark");
        assertThat(spark.path("master").asText()).isEqualTo("spark://127.0.0.1:" + MASTER_PORT);
        assertThat(spark.path("appId").asText()).startsWith("app-");
        assertThat(spark.path("appName").asText()).isEqualTo("concord-logreg-passthrough");
        assertThat(spark.path("conf").path("spark.cores.max").asText()).isEqualTo("1");
        assertThat(spark.path("conf").path("spark.executor.memory").asText()).isEqualTo("700m");
        assertThat(spark.path("conf").path("spark.driver.memory").asText()).isEqualTo("1g");
        assertThat(spark.path("conf").path("spark.concord.marker").asText()).isEqualTo("passed");
        assertThat(spark.path("conf").path("spark.metrics.namespace").asText())
                .isEqualTo("concord-logreg-passthrough");

        JsonNode master = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + UI_PORT + "/json/")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        JsonNode app = null;
        for (JsonNode a : master.path("completedapps")) {
            if (a.path("id").asText().equals(spark.path("appId").asText())) {
                app = a;
            }
        }
        assertThat(app).as(master.toString()).isNotNull();
        assertThat(app.path("name").asText()).isEqualTo("concord-logreg-passthrough");
        assertThat(app.path("cores").asInt()).isEqualTo(1);
        assertThat(app.path("memoryperslave").asInt()).isEqualTo(700);
    }

    @Test
    void stopEndsOnlyTheProcessesItStarted() throws Exception {
        // A process of ours with "CoarseGrainedExecutorBackend 127.0.0.1" in its command line, as another user's
        // executor on a shared host would have: a name-matching stop would kill it.
        Process bystander = new ProcessBuilder("bash", "-c",
                "exec -a 'CoarseGrainedExecutorBackend --hostname 127.0.0.1' sleep 600").start();
        Path pidDir = tmp.resolve("spark-home/run");
        List<Long> pids = new ArrayList<>();
        try (var files = Files.list(pidDir)) {
            for (Path f : files.toList()) {
                pids.add(Long.parseLong(Files.readString(f).trim()));
            }
        }
        assertThat(pids).hasSize(2);
        try {
            Result stop = script("scripts/local-cluster", "stop");
            assertThat(stop.output).contains("local-cluster: stopped");
            for (long pid : pids) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
            }
            assertThat(bystander.isAlive()).isTrue();
            assertThat(script("scripts/local-cluster", "status").code).isEqualTo(3);
        } finally {
            bystander.destroyForcibly();
            script("scripts/local-cluster", "start", "--workers", "1", "--cores", "2", "--memory", "2g");
        }
    }

    private record Result(int code, String output) {
    }

    private static Result script(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, ROOT.resolve(command[0]).toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("CONCORD_MASTER_PORT", MASTER_PORT);
        pb.environment().put("CONCORD_MASTER_UI_PORT", UI_PORT);
        pb.environment().put("CONCORD_SPARK_HOME", tmp.resolve("spark-home").toString());
        pb.environment().remove("SPARK_HOME");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), out);
    }
}
