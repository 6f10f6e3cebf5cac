package io.concord.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spark standalone cluster (master + 2 workers on 127.0.0.1) started by {@code scripts/local-cluster} from the
 * project's own jars; the demo is submitted with {@code scripts/submit} and its committed output checked. Runs in
 * Maven's integration-test phase ({@code mvn verify}), after {@code package} has laid out the jars.
 */
@Tag("cluster")
class LocalClusterIT {

    private static final String MASTER_PORT = "17177";
    private static final String UI_PORT = "18180";
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Result r = script("scripts/local-cluster", "start");
        assertThat(r.code).as(r.output).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        script("scripts/local-cluster", "stop");
    }

    @Test
    void demoSubmittedToTheStandaloneClusterCommitsItsOutput() throws Exception {
        Result status = script("scripts/local-cluster", "status");
        assertThat(status.output).contains("alive workers: 2");

        Path output = tmp.resolve("runs");
        Result run = script("scripts/submit", "--master", "spark://127.0.0.1:" + MASTER_PORT, "train", "logreg",
                "--output", output.toString(), "--run-id", "cluster-demo", "--no-progress",
                "--set", "train.rounds=12", "--set", "train.partitions=2", "--set", "eval.every=6");
        assertThat(run.code).as(run.output).isZero();
        assertThat(run.output).contains("committed " + output.resolve("cluster-demo"));
        Path dir = output.resolve("cluster-demo");
        assertThat(dir.resolve("_SUCCESS")).exists();
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        assertThat(summary.path("rounds").asInt()).isEqualTo(12);
        assertThat(summary.path("metrics").path("accuracy").asDouble()).isGreaterThan(0.8);

        JsonNode master = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + UI_PORT + "/json/")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(master.path("completedapps").size()).isGreaterThanOrEqualTo(1);
        JsonNode app = master.path("completedapps").get(master.path("completedapps").size() - 1);
        assertThat(app.path("name").asText()).isEqualTo("concord-logreg-cluster-demo");
        assertThat(app.path("cores").asInt()).isEqualTo(2);
    }

    private record Result(int code, String output) {
    }

    private static Result script(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, ROOT.resolve(command[0]).toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("CONCORD_MASTER_PORT", MASTER_PORT);
        env.put("CONCORD_MASTER_UI_PORT", UI_PORT);
        env.put("CONCORD_SPARK_HOME", tmp.resolve("spark-home").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        Files.writeString(tmp.resolve("last-script.log"), out);
        return new Result(p.exitValue(), out);
    }
}
