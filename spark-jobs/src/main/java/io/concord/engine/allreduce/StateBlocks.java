package io.concord.engine.allreduce;

import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TestBlockId;
import org.apache.spark.util.io.ChunkedByteBuffer;
import scala.Option;
import scala.reflect.ClassTag$;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The training state kept on the executors between barrier stages: after a stage, owner p's slice of the parameters
 * and its slice of the optimizer state stay in its executor's block manager as two raw little-endian float blocks,
 * named by run nonce, the number of completed rounds and the owner. The next stage's tasks read them from there
 * (locally or from the owner's executor); the driver reads them only when it needs the full state.
 *
 * <p>Reads never wait: the blocks were written by a stage that has finished, so a block that is not found is lost
 * (its executor is gone or it was removed) and {@link MissingSliceException} says so.
 */
public record StateBlocks(long nonce) implements Serializable {

    public static final String PREFIX = "concord-state-";

    public String paramsBlock(int round, int owner) {
        return PREFIX + Long.toHexString(nonce) + "-r" + round + "-p" + owner;
    }

    public String stateBlock(int round, int owner) {
        return PREFIX + Long.toHexString(nonce) + "-r" + round + "-s" + owner;
    }

    /** Task side: keeps owner {@code owner}'s slices after {@code round} completed rounds. */
    public void store(int round, int owner, float[] params, float[] state) {
        put(paramsBlock(round, owner), params);
        put(stateBlock(round, owner), state);
    }

    /** Owner {@code owner}'s parameter slice after {@code round} rounds, of {@code length} floats. */
    public float[] readParams(int round, int owner, int length) {
        return read(paramsBlock(round, owner), length);
    }

    public float[] readState(int round, int owner, int length) {
        return read(stateBlock(round, owner), length);
    }

    /** Driver side: whether every owner's two blocks are registered with the block manager master. */
    public boolean present(int round, int parts) {
        BlockManager blocks = SparkEnv.get().blockManager();
        for (int p = 0; p < parts; p++) {
            if (blocks.master().getLocations(new TestBlockId(paramsBlock(round, p))).isEmpty()
                    || blocks.master().getLocations(new TestBlockId(stateBlock(round, p))).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Driver side: frees the blocks of {@code round} on every executor. */
    public void remove(int round, int parts) {
        BlockManager blocks = SparkEnv.get().blockManager();
        for (int p = 0; p < parts; p++) {
            blocks.master().removeBlock(new TestBlockId(paramsBlock(round, p)));
            blocks.master().removeBlock(new TestBlockId(stateBlock(round, p)));
        }
    }

    private static void put(String name, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        boolean stored = SparkEnv.get().blockManager().putBytes(new TestBlockId(name), new ChunkedByteBuffer(bytes),
                StorageLevel.MEMORY_AND_DISK_SER(), true, ClassTag$.MODULE$.Any());
        if (!stored) {
            throw new IllegalStateException("block manager refused state block " + name + " (" + bytes.capacity()
                    + " bytes); give executors more memory (spark.executor.memory)");
        }
    }

    private static float[] read(String name, int length) {
        BlockManager blocks = SparkEnv.get().blockManager();
        BlockId id = new TestBlockId(name);
        Option<BlockData> local = blocks.getLocalBytes(id);
        if (local.isDefined()) {
            try {
                return floats(local.get().toByteBuffer(), length, name);
            } finally {
                blocks.releaseLock(id, Option.empty());
            }
        }
        Option<ChunkedByteBuffer> remote = blocks.getRemoteBytes(id);
        if (remote.isDefined()) {
            return floats(remote.get().toByteBuffer(), length, name);
        }
        throw new MissingSliceException(name);
    }

    private static float[] floats(ByteBuffer bytes, int length, String name) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() != length * Float.BYTES) {
            throw new IllegalStateException("state block " + name + " holds " + b.remaining() + " bytes, expected "
                    + length * Float.BYTES);
        }
        float[] out = new float[length];
        b.asFloatBuffer().get(out);
        return out;
    }

    /** A kept slice is gone (its executor was lost or the block removed). */
    public static final class MissingSliceException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        MissingSliceException(String name) {
            super("state block " + name + " is gone (its executor was lost?)");
        }
    }
}
