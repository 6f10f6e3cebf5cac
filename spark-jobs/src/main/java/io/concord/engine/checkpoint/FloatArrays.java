package io.concord.engine.checkpoint;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A small binary format for flat float vectors: magic {@code CNCDF32\0}, element count (long, big-endian), then the
 * floats little-endian. Written and read in 1 MiB chunks.
 */
public final class FloatArrays {

    private static final byte[] MAGIC = {'C', 'N', 'C', 'D', 'F', '3', '2', 0};
    private static final int CHUNK = 1 << 18;

    private FloatArrays() {
    }

    public static void write(OutputStream out, float[] values) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.write(MAGIC);
        data.writeLong(values.length);
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int offset = 0; offset < values.length; offset += CHUNK) {
            int n = Math.min(CHUNK, values.length - offset);
            buffer.clear();
            buffer.asFloatBuffer().put(values, offset, n);
            data.write(buffer.array(), 0, n * Float.BYTES);
        }
        data.flush();
    }

    public static float[] read(InputStream in, String source) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        try {
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(source + ": not a Concord float vector (bad magic)");
            }
            long count = data.readLong();
            if (count < 0 || count > Integer.MAX_VALUE - 8) {
                throw new IOException(source + ": bad element count " + count);
            }
            float[] values = new float[(int) count];
            byte[] bytes = new byte[CHUNK * Float.BYTES];
            for (int offset = 0; offset < values.length; offset += CHUNK) {
                int n = Math.min(CHUNK, values.length - offset);
                data.readFully(bytes, 0, n * Float.BYTES);
                ByteBuffer.wrap(bytes, 0, n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                        .get(values, offset, n);
            }
            return values;
        } catch (EOFException e) {
            throw new IOException(source + ": truncated float vector", e);
        }
    }
}
