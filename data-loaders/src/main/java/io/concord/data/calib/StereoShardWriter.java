package io.concord.data.calib;

import io.concord.core.calib.CalibParam;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes one shard in {@link StereoShardFormat} to any Hadoop {@link FileSystem}. */
public final class StereoShardWriter implements Closeable {

    private final Path path;
    private final int width;
    private final int height;
    private final DataOutputStream out;
    private long count;
    private boolean closed;

    private StereoShardWriter(Path path, int width, int height, DataOutputStream out) {
        this.path = path;
        this.width = width;
        this.height = height;
        this.out = out;
    }

    /** Creates (overwrites) the shard at {@code path} for images of {@code width × height}. */
    public static StereoShardWriter create(FileSystem fs, Path path, int width, int height) {
        try {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(fs.create(path, true), 1 << 16));
            out.writeInt(StereoShardFormat.MAGIC);
            out.writeInt(StereoShardFormat.VERSION);
            out.writeInt(width);
            out.writeInt(height);
            out.writeInt(StereoPair.CHANNELS);
            out.writeInt(CalibParam.COUNT);
            return new StereoShardWriter(path, width, height, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create shard " + path, e);
        }
    }

    public void write(StereoPair pair) {
        if (pair.width() != width || pair.height() != height) {
            throw new CalibDataException(path, "record '" + pair.id() + "' is " + pair.width() + "x" + pair.height()
                    + " but the shard holds " + width + "x" + height + " images");
        }
        // StereoPair already rejects non-finite labels; the reader checks again because files can be edited.
        try {
            out.writeByte(StereoShardFormat.RECORD);
            out.writeUTF(pair.id());
            for (float v : pair.label()) {
                out.writeFloat(v);
            }
            out.writeInt(StereoShardFormat.crc(pair.left()));
            out.write(pair.left());
            out.writeInt(StereoShardFormat.crc(pair.right()));
            out.write(pair.right());
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write record '" + pair.id() + "' to shard " + path, e);
        }
    }

    public long count() {
        return count;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (DataOutputStream o = out) {
            o.writeByte(StereoShardFormat.END);
            o.writeLong(count);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish shard " + path, e);
        }
    }
}
