package io.concord.hdfs;

import io.concord.cli.CliRunner;
import io.concord.data.synthetic.GaussianClasses;
import io.concord.data.vector.LabeledVectorCsv;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
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
 * Data on hdfs://, trained from it, checkpoints and outputs written back to hdfs://, then a crashed run resumed
 * from its hdfs:// checkpoint — all against an in-process MiniDFSCluster.
 */
class HdfsTrainingTest {

    @TempDir
    static java.nio.file.Path base;
    private static MiniHdfs hdfs;

    @BeforeAll
    static void start() throws IOException {
        hdfs = new MiniHdfs(base.resolve("dfs"));
        GaussianClasses gen = new GaussianClasses(8, 3, 3.0, 0.0);
        LabeledVectorCsv.write(new Path(hdfs.uri() + "/data/train/part-00000.csv"), gen.generate(7, 0, 400),
                hdfs.fs().getConf());
        LabeledVectorCsv.write(new Path(hdfs.uri() + "/data/train/part-00001.csv"), gen.generate(7, 400, 400),
                hdfs.fs().getConf());
        LabeledVectorCsv.write(new Path(hdfs.uri() + "/data/test.csv"), gen.generateClean(7, 10_000, 200),
                hdfs.fs().getConf());
        try (FSDataOutputStream out = hdfs.fs().create(new Path("/configs/logreg.yaml"))) {
            out.write(("data:\n  path: " + hdfs.uri() + "/data/train\n  testPath: " + hdfs.uri() + "/data/test.csv\n"
                    + "optimizer: {name: adam, lr: 0.05}\n"
                    + "train: {rounds: 8, batchSize: 32, checkpointEvery: 2, partitions: 2}\n"
                    + "eval: {every: 4}\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stop() {
        hdfs.close();
    }

    private static String[] train(String runId, String... extra) {
        String[] base = {"train", "logreg", "--config", hdfs.uri() + "/configs/logreg.yaml",
                "--output", hdfs.uri() + "/runs", "--run-id", runId, "--master", "local[2]", "--no-progress"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void trainsFromHdfsCommitsToHdfsAndResumesFromHdfs() throws IOException {
        FileSystem fs = hdfs.fs();
        CliRunner.Result full = CliRunner.run(train("full"));
        assertThat(full.exitCode()).as(full.err()).isZero();
        assertThat(fs.exists(new Path("/runs/full/_SUCCESS"))).isTrue();
        assertThat(fs.exists(new Path("/runs/full/checkpoints/round-00000008/params.bin"))).isTrue();
        assertThat(read(fs, "/runs/full/summary.json")).contains("\"status\" : \"succeeded\"");

        CliRunner.Result crashed = CliRunner.run(train("resumed", "--set", "train.injectFault.round=5",
                "--set", "train.injectFault.partition=0"));
        assertThat(crashed.exitCode()).isEqualTo(1);
        assertThat(fs.exists(new Path("/runs/resumed"))).isFalse();
        assertThat(fs.exists(new Path("/runs/_staging/resumed/checkpoints/round-00000004"))).isTrue();

        CliRunner.Result resumed = CliRunner.run(train("resumed", "--resume"));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming from " + hdfs.uri() + "/runs/_staging/resumed/checkpoints/"
                + "round-00000004");
        assertThat(bytes(fs, "/runs/resumed/model/params.bin")).isEqualTo(bytes(fs, "/runs/full/model/params.bin"));
    }

    private static String read(FileSystem fs, String path) throws IOException {
        return new String(bytes(fs, path), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(FileSystem fs, String path) throws IOException {
        try (FSDataInputStream in = fs.open(new Path(path))) {
            return in.readAllBytes();
        }
    }
}
