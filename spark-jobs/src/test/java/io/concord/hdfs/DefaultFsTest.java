package io.concord.hdfs;

import io.concord.cli.CliRunner;
import io.concord.data.synthetic.GaussianClasses;
import io.concord.data.vector.LabeledVectorCsv;
import io.concord.run.RunDirectory;
import io.concord.run.RunLock;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A run configured like one on a real cluster: {@code spark.hadoop.fs.defaultFS} names the HDFS, and the data path
 * and output are relative. Everything (config check, staging, lock, checkpoints, outputs, data) must resolve against
 * that one file system, none of it on local disk.
 */
class DefaultFsTest {

    @TempDir
    static java.nio.file.Path base;
    private static MiniHdfs hdfs;
    private static java.nio.file.Path config;

    @BeforeAll
    static void start() throws IOException {
        hdfs = new MiniHdfs(base.resolve("dfs"));
        GaussianClasses gen = new GaussianClasses(6, 3, 3.0, 0.0);
        Path home = hdfs.fs().getHomeDirectory();
        LabeledVectorCsv.write(new Path(home, "data/train/part-00000.csv"), gen.generate(3, 0, 400),
                hdfs.fs().getConf());
        // a local config file (read before Spark's settings are known) whose data path is relative
        config = Files.writeString(base.resolve("logreg.yaml"), "data:\n  path: data/train\n"
                + "train: {rounds: 4, checkpointEvery: 2, batchSize: 32}\neval: {every: 2}\n");
    }

    @AfterAll
    static void stop() {
        hdfs.close();
    }

    private static String[] train(String runId, String... extra) {
        String[] base = {"train", "logreg", "--config", config.toString(), "--output", "runs", "--run-id", runId,
                "--master", "local[2]", "--no-progress", "--set", "spark.conf.spark.hadoop.fs.defaultFS=" + hdfs.uri()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void stagingCheckpointsAndOutputsGoToTheDefaultFileSystem() throws IOException {
        FileSystem fs = hdfs.fs();
        Path runs = new Path(fs.getHomeDirectory(), "runs");
        String runId = "defaultfs-" + ProcessHandle.current().pid();

        CliRunner.Result crashed = CliRunner.run(train(runId, "--set", "train.injectFault.round=3",
                "--set", "train.injectFault.partition=0"));
        assertThat(crashed.exitCode()).as(crashed.err()).isEqualTo(1);
        assertThat(fs.exists(new Path(runs, "_staging/" + runId + "/checkpoints/round-00000002/manifest.json")))
                .isTrue();
        assertThat(fs.exists(new Path(runs, "_staging/" + runId + "/" + RunDirectory.FAILED))).isTrue();
        assertThat(fs.exists(new Path(runs, "_staging/" + runId + ".lock"))).as("lock released").isFalse();

        CliRunner.Result resumed = CliRunner.run(train(runId, "--resume"));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming from " + hdfs.uri() + runs.toUri().getPath() + "/_staging/"
                + runId + "/checkpoints/round-00000002");
        assertThat(fs.exists(new Path(runs, runId + "/_SUCCESS"))).isTrue();
        assertThat(fs.exists(new Path(runs, runId + "/checkpoints/round-00000004/params.bin"))).isTrue();
        assertThat(fs.exists(new Path(runs, runId + "/model/params.bin"))).isTrue();
        assertThat(read(fs, new Path(runs, runId + "/config.effective.yaml")))
                .contains("path: " + hdfs.uri() + fs.getHomeDirectory().toUri().getPath() + "/data/train");
        assertThat(Files.exists(java.nio.file.Path.of("runs", runId))).isFalse();
        assertThat(Files.exists(java.nio.file.Path.of("runs", "_staging", runId))).isFalse();
    }

    @Test
    void theRunLockIsExclusiveOnHdfs() throws IOException {
        FileSystem fs = hdfs.fs();
        Path lock = new Path(fs.getHomeDirectory(), "locks/_staging/r.lock");
        try (RunLock first = RunLock.acquire(fs, lock, "r", Duration.ofMinutes(5))) {
            assertThatThrownBy(() -> RunLock.acquire(fs, lock, "r", Duration.ofMinutes(5)))
                    .isInstanceOf(RunDirectory.OutputException.class).hasMessageContaining("run r is locked by app");
            fs.setTimes(lock, System.currentTimeMillis() - 600_000, -1);
            try (RunLock taker = RunLock.acquire(fs, lock, "r", Duration.ofMinutes(5))) {
                taker.verify();
                assertThatThrownBy(first::verify).isInstanceOf(RunDirectory.OutputException.class);
            }
        }
        assertThat(fs.exists(lock)).isFalse();
    }

    private static String read(FileSystem fs, Path path) throws IOException {
        try (FSDataInputStream in = fs.open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
