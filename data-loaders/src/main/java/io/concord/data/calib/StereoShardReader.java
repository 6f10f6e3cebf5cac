package io.concord.data.calib;

import io.concord.core.calib.CalibParam;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams the records of one {@link StereoShardFormat} shard from any Hadoop {@link FileSystem}, one at a time (for
 * Spark's {@code mapPartitions}). A missing file, a bad header, a truncated file, a corrupt image (checksum) or a
 * non-finite label throws {@link CalibDataException} naming the file and the record.
 */
public final class StereoShardReader implements Iterator<StereoPair>, Closeable {

    private final Path path;
    private final DataInputStream in;
    private final int width;
    private final int height;
    private final int labelCount;
    private long index;
    private String previousId = "(none)";
    private StereoPair next;
    private boolean done;

    private StereoShardReader(Path path, DataInputStream in, int width, int height, int labelCount) {
        this.path = path;
        this.in = in;
        this.width = width;
        this.height = height;
        this.labelCount = labelCount;
    }

    public static StereoShardReader open(FileSystem fs, Path path) {
        DataInputStream in;
        try {
            in = new DataInputStream(new BufferedInputStream(fs.open(path), 1 << 16));
        } catch (FileNotFoundException e) {
            throw new CalibDataException(path, "missing shard file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open shard " + path, e);
        }
        try {
            int magic = in.readInt();
            if (magic != StereoShardFormat.MAGIC) {
                throw new CalibDataException(path, "not a stereo calibration shard (bad magic 0x"
                        + Integer.toHexString(magic) + ")");
            }
            int version = in.readInt();
            if (version != StereoShardFormat.VERSION) {
                throw new CalibDataException(path, "unsupported shard version " + version);
            }
            int width = in.readInt();
            int height = in.readInt();
            int channels = in.readInt();
            int labels = in.readInt();
            if (width <= 0 || height <= 0 || width > 1 << 14 || height > 1 << 14 || channels != StereoPair.CHANNELS
                    || labels != CalibParam.COUNT) {
                throw new CalibDataException(path, "bad shard header: " + width + "x" + height + "x"
                        + channels + " images, " + labels + " labels (expected 3 channels and " + CalibParam.COUNT
                        + " labels)");
            }
            return new StereoShardReader(path, in, width, height, labels);
        } catch (EOFException e) {
            closeQuietly(in);
            throw new CalibDataException(path, "truncated shard header", e);
        } catch (IOException e) {
            closeQuietly(in);
            throw new UncheckedIOException("cannot read shard " + path, e);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /** Image width of every record in this shard (from the header). */
    public int width() {
        return width;
    }

    /** Image height of every record in this shard (from the header). */
    public int height() {
        return height;
    }

    /** Every record of the shard at {@code path}. */
    public static List<StereoPair> readAll(FileSystem fs, Path path) {
        List<StereoPair> out = new ArrayList<>();
        try (StereoShardReader reader = open(fs, path)) {
            reader.forEachRemaining(out::add);
        }
        return out;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = readRecord();
        }
        return next != null;
    }

    @Override
    public StereoPair next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more records in " + path);
        }
        StereoPair r = next;
        next = null;
        return r;
    }

    private StereoPair readRecord() {
        String id = null;
        try {
            byte marker = in.readByte();
            if (marker == StereoShardFormat.END) {
                long count = in.readLong();
                if (count != index) {
                    throw new CalibDataException(path, "the end marker says the shard holds " + count + " records but "
                            + index + " were read");
                }
                if (in.read() != -1) {
                    throw new CalibDataException(path, "unexpected bytes after the end of the shard");
                }
                done = true;
                return null;
            }
            if (marker != StereoShardFormat.RECORD) {
                throw new CalibDataException(path, "bad record marker " + marker + " at record #" + index
                        + " (after record '" + previousId + "')");
            }
            id = in.readUTF();
            float[] label = new float[labelCount];
            for (int k = 0; k < labelCount; k++) {
                label[k] = in.readFloat();
            }
            byte[] left = readView(id, "left");
            byte[] right = readView(id, "right");
            for (CalibParam p : CalibParam.values()) {
                if (!Float.isFinite(label[p.index()])) {
                    throw new CalibDataException(path, "non-finite label " + p.key() + "=" + label[p.index()]
                            + " in record '" + id + "' (#" + index + ")");
                }
            }
            StereoPair pair = new StereoPair(id, width, height, left, right, label);
            previousId = id;
            index++;
            return pair;
        } catch (EOFException e) {
            throw new CalibDataException(path, "truncated shard: ends inside record #" + index
                    + (id == null ? " (after record '" + previousId + "')" : " '" + id + "'")
                    + " or before its end marker", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read record #" + index + " of shard " + path, e);
        }
    }

    private byte[] readView(String id, String which) throws IOException {
        int expected = in.readInt();
        byte[] data = new byte[width * height * StereoPair.CHANNELS];
        in.readFully(data);
        if (StereoShardFormat.crc(data) != expected) {
            throw new CalibDataException(path, "corrupt " + which + " image in record '" + id + "' (#" + index
                    + "): CRC32 mismatch");
        }
        return data;
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing useful to do: the data was already read or the error already reported
        }
    }
}
