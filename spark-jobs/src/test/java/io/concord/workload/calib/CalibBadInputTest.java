package io.concord.workload.calib;

import io.concord.cli.CliRunner;
import io.concord.cli.ConcordMain;
import io.concord.data.calib.StereoDataset;
import io.concord.data.calib.StereoPair;
import io.concord.data.calib.StereoPairGenerator;
import io.concord.data.calib.StereoRigConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code concord train calib} on existing shards with bad content fails with exit code 3 (bad input), naming the
 * file and the record, and commits nothing; bad config values fail with exit code 2 naming the key.
 */
class CalibBadInputTest {

    private static final long SEED = 5;
    private static List<StereoPair> train;
    private static List<StereoPair> test;

    @TempDir
    Path tmp;

    @BeforeAll
    static void generate() {
        StereoPairGenerator gen = new StereoPairGenerator(StereoRigConfig.cvgl(CalibCliTest.SIZE), SEED);
        train = gen.generate(0, 24);
        test = gen.generate(1000, 8);
    }

    /** Writes the train and test datasets without checksum files, so byte edits reach the shard reader. */
    private Path writeDatasets() throws IOException {
        FileSystem raw = FileSystem.getLocal(new Configuration()).getRawFileSystem();
        StereoDataset.write(raw, hadoop(tmp.resolve("train")), train, 8);
        StereoDataset.write(raw, hadoop(tmp.resolve("test")), test, 8);
        Path config = tmp.resolve("existing.yaml");
        Files.writeString(config, "data:\n  path: " + tmp.resolve("train") + "\n  testPath: " + tmp.resolve("test")
                + "\n");
        return config;
    }

    private CliRunner.Result run(Path config, String runId) {
        return CliRunner.run("train", "calib", "--config", config.toString(), "--output",
                tmp.resolve("out").toString(), "--run-id", runId, "--master", "local[2]", "--no-progress",
                "--set", "model.convChannels=[4]", "--set", "model.denseUnits=8", "--set", "train.rounds=1",
                "--set", "train.batchSize=4", "--set", "eval.every=1", "--set", "eval.mode=min");
    }

    @Test
    void existingShardsTrain() throws IOException {
        CliRunner.Result ok = run(writeDatasets(), "ok");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(tmp.resolve("out/ok/summary.json")).content().contains("\"trainExamples\" : 24")
                .contains("\"testExamples\" : 8");
    }

    @Test
    void corruptImageIsABadInputNamingFileAndRecord() throws IOException {
        Path config = writeDatasets();
        // Shard 1 of train holds records 8..15; corrupt the left view of its record #3 ('calib-5-11').
        long start = 24 + recordBytes(8) + recordBytes(9) + recordBytes(10);
        long leftView = start + 1 + 2 + idBytes(11) + 10 * 4 + 4;
        flipByte(tmp.resolve("train/part-00001.stereo"), leftView + 100);

        CliRunner.Result run = run(config, "corrupt");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ConcordMain.BAD_INPUT);
        assertThat(errorLine(run.err())).contains("part-00001.stereo")
                .contains("corrupt left image in record 'calib-5-11' (#3): CRC32 mismatch");
        assertThat(tmp.resolve("out/corrupt")).doesNotExist();
    }

    @Test
    void nonFiniteLabelIsABadInputNamingTheRecordAndParameter() throws IOException {
        Path config = writeDatasets();
        // Test shard 0, record #2 ('calib-5-1002'): θ (label index 9) := NaN.
        long start = 24 + recordBytes(test.get(0)) + recordBytes(test.get(1));
        try (RandomAccessFile f = new RandomAccessFile(tmp.resolve("test/part-00000.stereo").toFile(), "rw")) {
            f.seek(start + 1 + 2 + test.get(2).id().getBytes(StandardCharsets.UTF_8).length + 9 * 4);
            f.writeFloat(Float.NaN);
        }
        CliRunner.Result run = run(config, "nan");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ConcordMain.BAD_INPUT);
        assertThat(errorLine(run.err())).contains("test/part-00000.stereo")
                .contains("non-finite label theta=NaN in record 'calib-5-1002' (#2)");
        assertThat(tmp.resolve("out/nan")).doesNotExist();
    }

    @Test
    void missingShardOrManifestIsABadInputBeforeSparkStarts() throws IOException {
        Path config = writeDatasets();
        Files.delete(tmp.resolve("train/part-00002.stereo"));
        CliRunner.Result run = run(config, "missing");
        assertThat(run.exitCode()).isEqualTo(ConcordMain.BAD_INPUT);
        assertThat(errorLine(run.err())).contains("part-00002.stereo").contains("missing shard file")
                .contains("_MANIFEST line 3");
        assertThat(run.out()).doesNotContain("generated");

        Files.delete(tmp.resolve("test/" + StereoDataset.MANIFEST));
        CliRunner.Result noManifest = run(config, "missing");
        assertThat(noManifest.exitCode()).isEqualTo(ConcordMain.BAD_INPUT);
        assertThat(tmp.resolve("out/missing")).doesNotExist();
    }

    @Test
    void badConfigValuesNameTheirKeys() {
        assertUsage("loss.vanishingPointWeight", "--set", "loss.vanishingPointWeight=-1");
        assertUsage("loss.supervisedWeights.fz", "--set", "loss.supervisedWeights.fz=2");
        assertUsage("loss.penalty", "--set", "loss.penalty=l3");
        assertUsage("data.generate.pitchMax", "--set", "data.generate.pitchMax=29");
        assertUsage("data.generate.fovMin", "--set", "data.generate.fovMin=-3");
        assertUsage("model.fusion", "--set", "model.fusion=late");
        assertUsage("model.convChannels[1]", "--set", "model.convChannels=[8, 0]");
        assertUsage("optimizer.lr", "--set", "optimizer.lr=-0.1");
        assertUsage("lrDecay.factor", "--set", "lrDecay.factor=2");
        assertUsage("lrDecay", "--set", "train.averageOptimizerState=false");
        assertUsage("eval.metric", "--set", "eval.metric=accuracy");
        assertUsage("eval.mode", "--set", "eval.mode=max");
        assertUsage("data.testPath", "--set", "data.testPath=/somewhere");
        assertUsage("train.batchSzie", "--set", "train.batchSzie=4");
    }

    @Test
    void generatedDataRefusesToOverwriteForeignFiles() throws IOException {
        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        CliRunner.Result run = CliRunner.run(CalibCliTest.train(tmp.resolve("out"), "f", "--set",
                "data.generate.path=" + foreign));
        assertThat(run.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(errorLine(run.err())).contains("data.generate.path").contains("holds other data");
        assertThat(foreign.resolve("notes.txt")).exists();
    }

    private static void assertUsage(String key, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "validate";
        all[1] = "calib";
        System.arraycopy(args, 0, all, 2, args.length);
        CliRunner.Result run = CliRunner.run(all);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ConcordMain.USAGE);
        assertThat(errorLine(run.err())).as(run.err()).startsWith("concord: error: " + key);
    }

    private static String errorLine(String err) {
        for (String line : err.strip().split("\n")) {
            if (line.startsWith("concord: error:")) {
                return line;
            }
        }
        return err;
    }

    private static long recordBytes(int index) {
        return recordBytes(train.get(index));
    }

    private static long idBytes(int index) {
        return train.get(index).id().getBytes(StandardCharsets.UTF_8).length;
    }

    private static long recordBytes(StereoPair p) {
        return 1 + 2 + p.id().getBytes(StandardCharsets.UTF_8).length + 10 * 4 + 2 * (4 + p.left().length);
    }

    private static org.apache.hadoop.fs.Path hadoop(Path p) {
        return new org.apache.hadoop.fs.Path(p.toUri());
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5A);
        }
    }
}
