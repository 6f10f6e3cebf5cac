package io.concord.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.concord.config.Redaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A standalone cluster started by {@code scripts/local-cluster} with the secured profile
 * ({@code cluster-configs/secure}: shared-secret authentication, RPC and I/O encryption): a submission with the
 * secret (from a file, never from the job's YAML) commits, with the driver and with the allreduce transport (the same
 * parameters); one without it is refused by the master.
 */
@Tag("cluster")
class SecureClusterIT {

    private static final String MASTER_PORT = "17277";
    private static final String UI_PORT = "18280";
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final String SECRET = "cluster-Secret-" + ProcessHandle.current().pid();

    @TempDir
    static Path tmp;
    private static Path secretFile;

    @BeforeAll
    static void start() throws Exception {
        secretFile = Files.createFile(tmp.resolve("spark.secret"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secretFile, SECRET + "\n");
        Result r = script(Map.of("CONCORD_AUTH_SECRET_FILE", secretFile.toString()), 600, "scripts/local-cluster",
                "start");
        assertThat(r.code).as(r.output).isZero();
        Path daemonConf = tmp.resolve("spark-home/run/daemon-secure.conf");
        assertThat(Files.getPosixFilePermissions(daemonConf)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(daemonConf).content().containsPattern("spark.authenticate\\s+true")
                .containsPattern("spark.network.crypto.enabled\\s+true").contains("spark.authenticate.secret " + SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        script(Map.of(), 120, "scripts/local-cluster", "stop");
    }

    @Test
    void aSubmissionWithTheSecretCommitsAndOneWithoutIsRefused() throws Exception {
        Path metrics = Files.createDirectory(tmp.resolve("app-metrics"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<String> secured = new ArrayList<>(List.of("--master", "spark://127.0.0.1:" + MASTER_PORT,
                "train", "logreg", "--output", tmp.resolve("runs").toString(), "--no-progress",
                "--set", "train.rounds=4", "--set", "train.partitions=2", "--set", "eval.every=2",
                "--set", "spark.conf.spark.metrics.conf.*.sink.csv.directory=" + metrics));
        for (String line : Files.readAllLines(ROOT.resolve("cluster-configs/secure/spark-defaults.conf"))) {
            String[] kv = line.strip().split("\\s+", 2);
            if (!line.isBlank() && !line.startsWith("#") && kv.length == 2) {
                secured.add("--set");
                secured.add("spark.conf." + kv[0] + "=" + kv[1]);
            }
        }
        List<String> withSecret = new ArrayList<>(secured);
        withSecret.addAll(List.of("--run-id", "with-secret"));
        Result ok = script(Map.of("CONCORD_AUTH_SECRET_FILE", secretFile.toString()), 600,
                prepend("scripts/submit", withSecret));
        assertThat(ok.code).as(ok.output).isZero();
        Path dir = tmp.resolve("runs/with-secret");
        assertThat(dir.resolve("_SUCCESS")).exists();
        assertThat(ok.output).doesNotContain(SECRET);
        JsonNode conf = new YAMLMapper().readTree(dir.resolve("config.effective.yaml").toFile())
                .path("provenance").path("spark").path("conf");
        assertThat(conf.path("spark.authenticate").asText()).isEqualTo("true");
        assertThat(conf.path("spark.network.crypto.enabled").asText()).isEqualTo("true");
        assertThat(conf.path("spark.authenticate.secret").asText()).isEqualTo(Redaction.REPLACEMENT);
        assertThat(conf.path("spark.master").asText()).isEqualTo("spark://127.0.0.1:" + MASTER_PORT);
        try (var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(file.toString()).doesNotContain(SECRET);
            }
        }

        // the allreduce transport on the same secured cluster (2 single-core workers: the slices are uploaded between
        // the executors' block managers over the authenticated, encrypted block transfer service) commits the same
        // parameters, byte for byte, as the driver transport did above
        List<String> allreduce = new ArrayList<>(secured);
        allreduce.addAll(List.of("--run-id", "allreduce-secret", "--set", "train.transport=allreduce",
                "--set", "train.roundsPerStage=2"));
        Result pushed = script(Map.of("CONCORD_AUTH_SECRET_FILE", secretFile.toString()), 600,
                prepend("scripts/submit", allreduce));
        assertThat(pushed.code).as(pushed.output).isZero();
        assertThat(pushed.output).doesNotContain(SECRET);
        assertThat(Files.readAllBytes(tmp.resolve("runs/allreduce-secret/model/params.bin")))
                .isEqualTo(Files.readAllBytes(dir.resolve("model/params.bin")));

        List<String> withoutSecret = new ArrayList<>(List.of("--master", "spark://127.0.0.1:" + MASTER_PORT,
                "train", "logreg", "--output", tmp.resolve("runs").toString(), "--run-id", "without-secret",
                "--no-progress", "--set", "train.rounds=4", "--set", "train.partitions=2"));
        Result refused = script(Map.of(), 300, prepend("scripts/submit", withoutSecret));
        assertThat(refused.code).as("exit of the refused submission; its output without stack frames:%n%s",
                withoutStackFrames(refused.output)).isEqualTo(4);
        assertThat(refused.output).contains("concord: error: Spark master spark://127.0.0.1:" + MASTER_PORT
                + " stopped the application").contains("spark.authenticate and the shared secret");
        assertThat(tmp.resolve("runs/without-secret")).doesNotExist();
        String errorLine = refused.output.lines().filter(l -> l.startsWith("concord: error:")).findFirst().orElse("");
        System.out.println("refused submission: exit " + refused.code + ", " + errorLine);
        refused.output.lines().filter(l -> l.contains("uthenticat") || l.contains("SASL") || l.contains("Giving up"))
                .limit(5).forEach(l -> System.out.println("  " + l));
    }

    /** The output's lines that are not stack frames, the last 60 (a failure message the CI tail keeps whole). */
    private static String withoutStackFrames(String output) {
        List<String> lines = output.lines().filter(l -> !l.stripLeading().startsWith("at ")
                && !l.stripLeading().startsWith("... ")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static String[] prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    private record Result(int code, String output) {
    }

    private static Result script(Map<String, String> extraEnv, int timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, ROOT.resolve(command[0]).toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("script.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("CONCORD_MASTER_PORT", MASTER_PORT);
        env.put("CONCORD_MASTER_UI_PORT", UI_PORT);
        env.put("CONCORD_SPARK_HOME", tmp.resolve("spark-home").toString());
        env.remove("CONCORD_AUTH_SECRET_FILE");
        env.remove("CONCORD_AUTH_SECRET");
        env.putAll(extraEnv);
        Process p = pb.start();
        boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(tmp.resolve("script.log"));
        return new Result(ended ? p.exitValue() : 124, out);
    }
}
