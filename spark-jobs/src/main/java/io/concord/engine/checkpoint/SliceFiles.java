package io.concord.engine.checkpoint;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The files of an owner-written checkpoint: owner p of P writes {@code slice-0000p.bin} (its parameter slice, then its
 * optimizer-state slice, two {@link FloatArrays}) into the checkpoint's temporary directory; the driver commits the
 * checkpoint only when every slice is there ({@link CheckpointStore#commitSlices}).
 */
public final class SliceFiles {

    private SliceFiles() {
    }

    public static String name(int owner) {
        return String.format("slice-%05d.bin", owner);
    }

    /** Task side: writes owner {@code owner}'s slices under {@code directory}; returns the file's SHA-256 (hex). */
    public static String write(String directory, Configuration hadoopConf, int owner, float[] params,
                               float[] state) {
        Path file = new Path(directory, name(owner));
        try {
            FileSystem fs = file.getFileSystem(hadoopConf);
            return CheckpointStore.write(fs, file, out -> {
                FloatArrays.write(out, params);
                FloatArrays.write(out, state);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("writing checkpoint slice " + file + ": " + e.getMessage(), e);
        }
    }
}
