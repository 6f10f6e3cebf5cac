package io.concord.data.calib;

import java.util.zip.CRC32;

/**
 * The binary shard format for {@link StereoPair}s (big-endian, Java {@code DataOutput}):
 * <pre>
 *   header:  int magic 'CALB' · int version 1 · int width · int height · int channels (3) · int labelCount (10)
 *   record:  byte 1 · UTF id · float[labelCount] labels · int CRC32(left) · byte[W·H·C] left
 *            · int CRC32(right) · byte[W·H·C] right
 *   end:     byte 0 · long recordCount
 * </pre>
 * The per-view checksums catch corrupt images, the end marker and count catch truncated or appended files.
 */
final class StereoShardFormat {

    static final int MAGIC = 0x43414C42;
    static final int VERSION = 1;
    static final byte RECORD = 1;
    static final byte END = 0;
    /** File name suffix of shards written by {@link StereoDataset}. */
    static final String SUFFIX = ".stereo";

    private StereoShardFormat() {
    }

    static int crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return (int) crc.getValue();
    }
}
