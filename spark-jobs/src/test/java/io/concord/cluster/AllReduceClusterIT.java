package io.concord.cluster;

import io.concord.cli.TinyJobs;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The allreduce transport on a real standalone cluster of 4 single-core workers (4 executors, slices uploaded
 * between executors' block managers): logreg trained with barrier stages commits the same parameters, byte for
 * byte, as the driver transport on the same cluster, also when a task fails in an all-gather and the stage is
 * retried. Own ports, so it can run beside {@code LocalClusterIT}.
 */
@Tag("cluster")
class AllReduceClusterIT {

    private static final String MASTER_PORT = "17377";
    private static final String UI_PORT = "18380";
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

    private static byte[] train(String runId, String transport, String... more) throws Exception {
        Path output = tmp.resolve("runs");
        List<String> args = new ArrayList<>(List.of("scripts/submit", "--master", "spark://127.0.0.1:" + MASTER_PORT,
                "train", "logreg", "--output", output.toString(), "--run-id", runId, "--no-progress",
                "--set", "train.rounds=12", "--set", "train.partitions=4", "--set", "eval.every=6",
                "--set", "train.transport=" + transport, "--set", "train.roundsPerStage=3",
                "--set", "data.generate.examples=4000"));
        args.addAll(List.of(more));
        Result run = script(args.toArray(String[]::new));
        assertThat(run.code).as(run.output).isZero();
        JsonNode summary = new ObjectMapper().readTree(output.resolve(runId).resolve("summary.json").toFile());
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        assertThat(summary.path("rounds").asInt()).isEqualTo(12);
        assertThat(summary.path("metrics").path("accuracy").asDouble()).isGreaterThan(0.8);
        return Files.readAllBytes(output.resolve(runId).resolve("model/params.bin"));
    }

    @Test
    void allreduceOnFourExecutorsEqualsTheDriverTransport() throws Exception {
        assertThat(script("scripts/local-cluster", "status").output).contains("alive workers: 4");
        byte[] allreduce = train("allreduce", "allreduce");
        byte[] driver = train("driver", "driver");
        assertThat(allreduce).isEqualTo(driver);
        // a task failing in an all-gather: its blocks were uploaded to the other executors; the retried stage
        // replays from the last completed round and ends on the same bytes
        byte[] retried = train("allreduce-fault", "allreduce", "--set", "train.injectFault.round=4",
                "--set", "train.injectFault.partition=2", "--set", "train.injectFault.phase=all-gather");
        assertThat(retried).isEqualTo(driver);

        JsonNode master = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + UI_PORT + "/json/")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        JsonNode first = master.path("completedapps").get(0);
        assertThat(first.path("cores").asInt()).isEqualTo(4);
    }

    /**
     * Every other job (ultragcn, moe with exact global balancing, calib, pref-sft, pref-align, pref-unlearn) trained
     * with barrier stages on the 4 executors commits the same {@code params.bin}, byte for byte, as the driver
     * transport trained in this JVM on local[4]: the transport and the placement of tasks change nothing.
     */
    @Test
    void everyJobWithAllreduceOnTheClusterEqualsTheDriverTransportLocally() throws Exception {
        Path local = tmp.resolve("local");
        Path inputs = Files.createDirectories(tmp.resolve("inputs"));
        Path pairs = TinyJobs.pairsFile(inputs);
        Path tofu = TinyJobs.tofuDir(inputs);
        Map<String, String[]> jobs = new LinkedHashMap<>();
        jobs.put("ultragcn", TinyJobs.ULTRAGCN);
        jobs.put("moe", TinyJobs.MOE);
        jobs.put("calib", TinyJobs.CALIB);
        jobs.put("pref-sft", TinyJobs.sftOnPairs(pairs));
        jobs.put("pref-align", TinyJobs.alignFrom(pairs, local.resolve("pref-sft")));
        jobs.put("pref-unlearn", TinyJobs.unlearnFrom(tofu, local.resolve("sft-tofu")));
        TinyJobs.trainLocally(local, "pref-sft", "sft-tofu", "driver", TinyJobs.sftOnTofu(tofu));
        for (Map.Entry<String, String[]> job : jobs.entrySet()) {
            byte[] driver = TinyJobs.trainLocally(local, job.getKey(), job.getKey(), "driver", job.getValue());
            List<String> args = new ArrayList<>(List.of("scripts/submit", "--master",
                    "spark://127.0.0.1:" + MASTER_PORT, "train", job.getKey(), "--output",
                    tmp.resolve("cluster").toString(), "--run-id", job.getKey(), "--no-progress",
                    "--set", "train.transport=allreduce", "--set", "train.roundsPerStage=3"));
            for (String set : job.getValue()) {
                args.add("--set");
                args.add(set);
            }
            Result run = script(args.toArray(String[]::new));
            assertThat(run.code).as(job.getKey() + " on the cluster: " + run.output).isZero();
            byte[] allreduce = Files.readAllBytes(tmp.resolve("cluster").resolve(job.getKey())
                    .resolve("model/params.bin"));
            assertThat(allreduce).as(job.getKey() + " params.bin, allreduce on 4 executors vs driver on local[4]")
                    .isEqualTo(driver);
        }
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
        env.put("CONCORD_WORKERS", "4");
        env.put("CONCORD_WORKER_MEMORY", "1500m");
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
