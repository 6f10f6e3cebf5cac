package io.concord.data.calib;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StereoDatasetTest {

    private static final int SIZE = 16;
    private static List<StereoPair> pairs;

    @TempDir
    java.nio.file.Path tmp;

    @BeforeAll
    static void generate() {
        pairs = new StereoPairGenerator(StereoRigConfig.cvgl(SIZE), 3).generate(0, 7);
    }

    /** The raw local file system: no .crc side files, so byte edits reach the reader (as on HDFS without checksums). */
    private static FileSystem rawFs() throws IOException {
        return FileSystem.getLocal(new Configuration()).getRawFileSystem();
    }

    private Path dir() {
        return new Path(tmp.toUri());
    }

    @Test
    void roundTripsThroughShardsAndManifestOnLocalFileSystems() throws IOException {
        for (FileSystem fs : new FileSystem[] {FileSystem.getLocal(new Configuration()), rawFs()}) {
            Path dir = new Path(dir(), fs.getClass().getSimpleName());
            List<Path> shards = StereoDataset.write(fs, dir, pairs, 3);
            assertThat(shards).hasSize(3);
            assertThat(StereoDataset.shards(fs, dir)).extracting(StereoDataset.Shard::records).containsExactly(3L, 3L,
                    1L);
            assertThat(StereoDataset.readAll(fs, dir)).isEqualTo(pairs);
            assertThat(StereoShardReader.readAll(fs, shards.get(2))).containsExactly(pairs.get(6));
        }
    }

    @Test
    void corruptImageNamesTheRecordAndTheView() throws IOException {
        FileSystem fs = rawFs();
        List<Path> shards = StereoDataset.write(fs, dir(), pairs, 4);
        // Record #1 of shard 0 starts after the header and record #0; flip a byte in its right view.
        long offset = 24 + recordBytes(pairs.get(0)) + recordBytes(pairs.get(1)) - 10;
        flipByte(shards.get(0), offset);
        assertThatThrownBy(() -> StereoDataset.readAll(fs, dir())).isInstanceOf(CalibDataException.class)
                .hasMessageContaining("corrupt right image in record 'calib-3-1' (#1)")
                .hasMessageContaining("part-00000.stereo");
    }

    @Test
    void nonFiniteLabelNamesTheRecordAndTheParameter() throws IOException {
        FileSystem fs = rawFs();
        List<Path> shards = StereoDataset.write(fs, dir(), pairs, 4);
        // Shard 1 holds records 4..6; put NaN into the 'tx' label (index 6) of its record #2 ('calib-3-6').
        long recordStart = 24 + recordBytes(pairs.get(4)) + recordBytes(pairs.get(5));
        long labelOffset = recordStart + 1 + 2 + pairs.get(6).id().getBytes(StandardCharsets.UTF_8).length + 6 * 4;
        try (RandomAccessFile f = new RandomAccessFile(local(shards.get(1)), "rw")) {
            f.seek(labelOffset);
            f.writeFloat(Float.NaN);
        }
        assertThatThrownBy(() -> StereoShardReader.readAll(fs, shards.get(1))).isInstanceOf(CalibDataException.class)
                .hasMessageContaining("non-finite label tx=NaN in record 'calib-3-6' (#2)")
                .hasMessageContaining("part-00001.stereo");
    }

    @Test
    void missingShardTruncationAndMissingManifestAreNamed() throws IOException {
        FileSystem fs = rawFs();
        List<Path> shards = StereoDataset.write(fs, dir(), pairs, 3);
        Files.delete(java.nio.file.Path.of(local(shards.get(1))));
        assertThatThrownBy(() -> StereoDataset.readAll(fs, dir())).isInstanceOf(CalibDataException.class)
                .hasMessageContaining("missing shard file").hasMessageContaining("part-00001.stereo")
                .hasMessageContaining("_MANIFEST line 2");
        assertThatThrownBy(() -> StereoShardReader.open(fs, shards.get(1))).isInstanceOf(CalibDataException.class)
                .hasMessageContaining("missing shard file");

        try (RandomAccessFile f = new RandomAccessFile(local(shards.get(0)), "rw")) {
            f.setLength(24 + recordBytes(pairs.get(0)) + 100);
        }
        assertThatThrownBy(() -> StereoShardReader.readAll(fs, shards.get(0))).isInstanceOf(CalibDataException.class)
                .hasMessageContaining("truncated shard").hasMessageContaining("record #1 'calib-3-1'");

        Files.delete(java.nio.file.Path.of(local(new Path(dir(), StereoDataset.MANIFEST))));
        assertThatThrownBy(() -> StereoDataset.shards(fs, dir())).isInstanceOf(CalibDataException.class)
                .hasMessageContaining("missing manifest");
    }

    @Test
    void notAShardAndWrongImageSizeAreRejected() throws IOException {
        FileSystem fs = rawFs();
        Path junk = new Path(dir(), "junk.stereo");
        Files.writeString(java.nio.file.Path.of(local(junk)), "hello, world, this is not a shard");
        assertThatThrownBy(() -> StereoShardReader.open(fs, junk)).hasMessageContaining("bad magic")
                .hasMessageContaining("junk.stereo");
        try (StereoShardWriter w = StereoShardWriter.create(fs, new Path(dir(), "w.stereo"), SIZE + 1, SIZE)) {
            assertThatThrownBy(() -> w.write(pairs.get(0))).hasMessageContaining("record 'calib-3-0' is 16x16");
        }
    }

    private static long recordBytes(StereoPair p) {
        return 1 + 2 + p.id().getBytes(StandardCharsets.UTF_8).length + 10 * 4 + 2 * (4 + p.left().length);
    }

    private static String local(Path p) {
        return p.toUri().getPath();
    }

    private static void flipByte(Path p, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(local(p), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5A);
        }
    }
}
