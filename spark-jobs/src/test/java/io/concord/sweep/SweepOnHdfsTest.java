package io.concord.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import io.concord.hdfs.MiniHdfs;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** A sweep whose output is hdfs:// (a MiniDFSCluster): runs, results table and plot all land on HDFS. */
class SweepOnHdfsTest {

    @TempDir
    File tmp;

    @Test
    void sweepWritesRunsTableAndPlotToHdfs() throws Exception {
        try (MiniHdfs hdfs = new MiniHdfs(new File(tmp, "dfs").toPath())) {
            String output = hdfs.uri() + "/ml/runs";
            File spec = new File(tmp, "spec.yaml");
            Files.writeString(spec.toPath(), String.join("\n", "job: logreg", "name: hd", "output: " + output,
                    "master: local[1]", "pointMemory: 768m",
                    "set: {train.rounds: 2, eval.every: 2, data.generate.examples: 300, data.generate.testExamples: 100}",
                    "grid: {optimizer.lr: [0.5]}", "metric: accuracy", ""));
            CliRunner.Result r = CliRunner.run("sweep", spec.toString());
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();

            FileSystem fs = hdfs.fs();
            FileStatus[] sweeps = fs.listStatus(new Path("/ml/runs/_sweeps"));
            assertThat(sweeps).hasSize(1);
            Path dir = sweeps[0].getPath();
            String table;
            try (InputStream in = fs.open(new Path(dir, "results.csv"))) {
                table = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String runId = table.lines().skip(1).findFirst().orElseThrow().split(",")[0];
            assertThat(runId).startsWith("hd-lr-0.5_");
            assertThat(fs.exists(new Path("/ml/runs/" + runId + "/_SUCCESS"))).isTrue();
            try (InputStream in = fs.open(new Path("/ml/runs/" + runId + "/summary.json"))) {
                assertThat(new ObjectMapper().readTree(in).path("rounds").asInt()).isEqualTo(2);
            }
            try (InputStream in = fs.open(new Path(dir, "accuracy.png"))) {
                assertThat(ImageIO.read(in).getWidth()).isEqualTo(520);
            }
            assertThat(fs.exists(new Path(dir, "logs/" + runId + ".log"))).isTrue();
        }
    }
}
