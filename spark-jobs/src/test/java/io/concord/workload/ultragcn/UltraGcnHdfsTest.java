package io.concord.workload.ultragcn;

import io.concord.cli.CliRunner;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.data.graph.AdjacencyListFormat;
import io.concord.data.graph.SyntheticGraphSpec;
import io.concord.data.graph.SyntheticInteractionGraphs;
import io.concord.hdfs.MiniHdfs;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code concord train ultragcn --config preset:gowalla --set data.train=hdfs://… --set data.test=hdfs://…} against an
 * in-process MiniDFSCluster: the split files are read from hdfs://, the run is committed to hdfs://, and a malformed
 * hdfs:// file is an input error naming the hdfs:// file and line with nothing committed.
 */
class UltraGcnHdfsTest {

    @TempDir
    static java.nio.file.Path base;
    private static MiniHdfs hdfs;

    @BeforeAll
    static void start() throws IOException {
        hdfs = new MiniHdfs(base.resolve("dfs"));
        InteractionGraph g = SyntheticInteractionGraphs.generate(
                new SyntheticGraphSpec(300, 200, 8, 12, 2.5, 0.8, 0.8, 0.2), 3);
        AdjacencyListFormat.write(g.train(), new Path(hdfs.uri() + "/data/train.txt"), hdfs.fs().getConf(), true);
        AdjacencyListFormat.write(g.test(), new Path(hdfs.uri() + "/data/test.txt"), hdfs.fs().getConf(), true);
        try (var out = hdfs.fs().create(new Path("/data/bad-train.txt"))) {
            out.write("0 1 2\n1 2 3\n2 4 5 -6\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stop() {
        hdfs.close();
    }

    private static String[] train(String runId, String trainFile) {
        return new String[] {"train", "ultragcn", "--config", "preset:gowalla",
                "--set", "data.train=" + hdfs.uri() + trainFile, "--set", "data.test=" + hdfs.uri() + "/data/test.txt",
                // a small model and schedule: the preset's objective otherwise
                "--set", "ultragcn.embedding_dim=16", "--set", "ultragcn.negative_num=30", "--set", "optimizer.lr=0.01",
                "--set", "train.batchSize=128", "--set", "epochs=3", "--set", "eval.official=false",
                "--set", "eval.every=3",
                "--output", hdfs.uri() + "/runs", "--run-id", runId, "--master", "local[2]", "--no-progress"};
    }

    @Test
    void trainsFromHdfsAndCommitsToHdfs() throws IOException {
        FileSystem fs = hdfs.fs();
        CliRunner.Result run = CliRunner.run(train("h1", "/data/train.txt"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("from " + hdfs.uri() + "/data/train.txt");
        assertThat(fs.exists(new Path("/runs/h1/_SUCCESS"))).isTrue();
        assertThat(fs.exists(new Path("/runs/h1/model/best-params.bin"))).isTrue();
        assertThat(fs.exists(new Path("/runs/h1/eval.csv"))).isTrue();
        String summary = read(fs, "/runs/h1/summary.json");
        assertThat(summary).contains("\"status\" : \"succeeded\"").contains("\"recall@20\"")
                .contains("\"ndcg@20\"");

        CliRunner.Result bad = CliRunner.run(train("h2", "/data/bad-train.txt"));
        assertThat(bad.exitCode()).isEqualTo(3);
        assertThat(bad.err()).contains(hdfs.uri() + "/data/bad-train.txt:3: item id -6 is negative");
        assertThat(fs.exists(new Path("/runs/h2"))).isFalse();
    }

    private static String read(FileSystem fs, String path) throws IOException {
        try (FSDataInputStream in = fs.open(new Path(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
