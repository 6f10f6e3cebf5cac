package io.concord.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two runs of one job report their Spark metrics under different names: the metrics namespace is the run's
 * application name concord-<job>-<run-id>, so a shared sink (here Spark's CsvSink, one file per metric, flushed when
 * the context stops) never mixes or overwrites two runs' series. Also: every Spark job of the round loop carries a
 * description naming its round and phase.
 */
class RunMetricsNamespaceTest {

    @TempDir
    Path tmp;

    @Test
    void everyRunReportsItsMetricsUnderItsOwnNamespace() throws IOException {
        Path sinkDir = Files.createDirectories(tmp.resolve("metrics"));
        Path config = tmp.resolve("logreg.yaml");
        ObjectNode tree;
        try (InputStream in = getClass().getResourceAsStream("/concord/jobs/logreg.yaml")) {
            tree = ConfigLoader.parse(in, "logreg.yaml");
        }
        ObjectNode conf = tree.with("spark").putObject("conf");
        conf.put("spark.metrics.conf.*.sink.csv.class", "org.apache.spark.metrics.sink.CsvSink");
        conf.put("spark.metrics.conf.*.sink.csv.directory", sinkDir.toString());
        conf.put("spark.metrics.conf.*.sink.csv.period", "60");
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.extraListeners", JobDescriptionRecorder.class.getName());
        ConfigLoader.yamlMapper().writeValue(config.toFile(), tree);

        JobDescriptionRecorder.DESCRIPTIONS.clear();
        for (String runId : List.of("ns-a", "ns-b")) {
            CliRun run = CliRun.of("train", "logreg", "--config", config.toString(), "--output",
                    tmp.resolve("out").toString(), "--run-id", runId, "--master", "local[2]", "--no-progress",
                    "--set", "data.generate.examples=400", "--set", "data.generate.testExamples=100",
                    "--set", "train.rounds=3", "--set", "eval.every=3");
            assertThat(run.exitCode()).as(run.err()).isZero();
        }

        List<String> files;
        try (Stream<Path> s = Files.list(sinkDir)) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        String plugin = ".driver.plugin.io.concord.engine.metrics.ConcordSparkPlugin.round.csv";
        assertThat(files).contains("concord-logreg-ns-a" + plugin, "concord-logreg-ns-b" + plugin);
        assertThat(files).allMatch(f -> f.startsWith("concord-logreg-ns-a.") || f.startsWith("concord-logreg-ns-b."));
        // the Spark UI names each job after its round and phase
        assertThat(JobDescriptionRecorder.DESCRIPTIONS).contains("round 0: global-batch update",
                "round 2: global-batch update", "round 2 of 3: evaluate / checkpoint");
        // the driver's round gauge, flushed at stop: the last of rounds 0, 1, 2
        assertThat(Files.readAllLines(sinkDir.resolve("concord-logreg-ns-a" + plugin)).get(1)).endsWith(",2.0");
    }
}
