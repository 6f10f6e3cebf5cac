package io.concord.workload.calib;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import io.concord.core.calib.CalibMae;
import io.concord.core.calib.CalibParam;
import io.concord.data.calib.StereoDataset;
import io.concord.data.calib.StereoPair;
import io.concord.data.calib.StereoPairBatches;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * End-to-end {@code concord train calib} on local Spark with tiny images: generated shards on a file-system path,
 * training through the engine (parameter averaging by default), held-out evaluation against the median predictor,
 * summary metrics and report tables; a rerun on the same path reuses the shards and reproduces the parameters.
 */
class CalibCliTest {

    static final int SIZE = 16;
    static final int TRAIN = 48;
    static final int TEST = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A tiny {@code concord train calib} command line: 16×16 views, 2 small convolutions, 4 rounds. */
    static String[] train(Path out, String runId, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "calib", "--output", out.toString(), "--run-id", runId,
                "--master", "local[2]", "--no-progress",
                "--set", "data.generate.examples=" + TRAIN, "--set", "data.generate.testExamples=" + TEST,
                "--set", "data.generate.width=" + SIZE, "--set", "data.generate.recordsPerShard=16",
                "--set", "data.generate.supersampling=1",
                "--set", "model.convChannels=[4, 8]", "--set", "model.denseUnits=16",
                "--set", "train.rounds=4", "--set", "train.batchSize=8", "--set", "train.localSteps=2",
                "--set", "eval.every=2"));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void trainsEvaluatesAgainstTheMedianAndWritesTheReport() throws IOException {
        Path data = tmp.resolve("pairs");
        CliRunner.Result run = CliRunner.run(train(tmp.resolve("out"), "c1", "--set", "data.generate.path=" + data));
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path dir = tmp.resolve("out/c1");
        assertThat(dir.resolve("_SUCCESS")).exists();
        assertThat(dir.resolve("config.effective.yaml")).content().contains("job: calib")
                .contains("sync: parameter-averaging").contains("vanishingPointWeight: 1.0");
        assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(4);
        assertThat(dir.resolve("model/params.bin")).exists();
        assertThat(dir.resolve("model/best-params.bin")).exists();

        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        assertThat(summary.path("rounds").asInt()).isEqualTo(4);
        assertThat(summary.path("details").path("trainExamples").asInt()).isEqualTo(TRAIN);
        assertThat(summary.path("details").path("testExamples").asInt()).isEqualTo(TEST);
        assertThat(summary.path("details").path("imageWidth").asInt()).isEqualTo(SIZE);

        // The median row is recomputed here from the shards the run wrote: training labels' median on the test set.
        FileSystem fs = FileSystem.getLocal(new Configuration());
        List<StereoPair> trainPairs = StereoDataset.readAll(fs, new org.apache.hadoop.fs.Path(data.resolve("train")
                .toUri()));
        List<StereoPair> testPairs = StereoDataset.readAll(fs, new org.apache.hadoop.fs.Path(data.resolve("test")
                .toUri()));
        assertThat(trainPairs).hasSize(TRAIN);
        assertThat(testPairs).hasSize(TEST);
        double[] median = CalibMae.ofMedian(StereoPairBatches.physicalLabels(trainPairs),
                StereoPairBatches.physicalLabels(testPairs));
        JsonNode m = summary.path("metrics");
        double[] mae = new double[CalibParam.COUNT];
        for (CalibParam p : CalibParam.values()) {
            assertThat(m.path("median.mae." + p.key()).asDouble()).isCloseTo(median[p.index()], within(1e-9));
            mae[p.index()] = m.path("mae." + p.key()).asDouble();
            assertThat(mae[p.index()]).isFinite().isGreaterThanOrEqualTo(0.0);
        }
        assertThat(m.path("relativeMae").asDouble()).isCloseTo(CalibMae.relativeMean(mae, median), within(1e-9));
        assertThat(m.path("bestRound").asInt()).isIn(1, 3);

        List<String> table = Files.readAllLines(dir.resolve("report/mae.csv"));
        assertThat(table.get(0)).startsWith("row,fx_px,fy_px,px_px,py_px,b_m,d_px,tx_m,ty_m,tz_m,theta_rad");
        assertThat(table).hasSize(4);
        assertThat(table.get(1)).startsWith("median,");
        assertThat(table.get(2)).startsWith("final (4 rounds),");
        assertThat(table.get(3)).startsWith("best (");
        assertThat(dir.resolve("report/mae.md")).content().contains("| median |").contains("theta [rad]");
        List<String> history = Files.readAllLines(dir.resolve("report/eval-history.csv"));
        assertThat(history).hasSize(3);
        assertThat(history.get(1)).startsWith("2,");
        assertThat(history.get(2)).startsWith("4,");

        // Same generator settings and path: the shards are reused, and the same seed gives the same parameters.
        CliRunner.Result again = CliRunner.run(train(tmp.resolve("out"), "c2", "--set",
                "data.generate.path=" + data));
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("reusing the generated pairs in");
        assertThat(Files.readAllBytes(tmp.resolve("out/c2/model/params.bin")))
                .isEqualTo(Files.readAllBytes(dir.resolve("model/params.bin")));
    }

    @Test
    void defaultConfigIsValidAndTrainDefaultsToParameterAveraging() throws IOException {
        CliRunner.Result builtIn = CliRunner.run("validate", "calib");
        assertThat(builtIn.exitCode()).as(builtIn.err()).isZero();
        assertThat(builtIn.out()).contains("sync: parameter-averaging").contains("metric: relativeMae");

        Path config = tmp.resolve("c.yaml");
        Files.writeString(config, "train:\n  rounds: 3\neval:\n  every: 1\n  mode: min\n");
        CliRunner.Result own = CliRunner.run("validate", "calib", "--config", config.toString());
        assertThat(own.exitCode()).as(own.err()).isZero();
        assertThat(own.out()).contains("sync: parameter-averaging").contains("rounds: 3");
        CliRunner.Result global = CliRunner.run("validate", "calib", "--config", config.toString(), "--set",
                "train.sync=global-batch");
        assertThat(global.out()).contains("sync: global-batch");
    }
}
