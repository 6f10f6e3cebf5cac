package io.concord.engine.allreduce;

import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockManagerMaster;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TestBlockId;
import org.apache.spark.util.io.ChunkedByteBuffer;
import scala.Option;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Slices travel as raw little-endian float blocks in the executors' block managers (BigDL's AllReduceParameter
 * design): a task puts the blocks it sends; a reader polls for each peer's block (locally, else through the block
 * manager master) and fetches it from the peer. Waiting for a peer's block is the only synchronisation: Spark's
 * {@code BarrierTaskContext.barrier()} polls its RPC once per second, which would cost a second per collective.
 *
 * <p>Peers in this executor (the same address in {@code getTaskInfos()}: every peer in local mode) never involve the
 * block manager master: a block only they read is put without reporting it, and a block of such a peer is only looked
 * for locally. Each report, lookup and removal is a synchronous message to the master, one at a time on the driver.
 *
 * <p>Blocks are named by run nonce, stage attempt and collective sequence number, so a retried stage never reads a
 * failed attempt's blocks. A peer publishes collective c only after it has read everything of collective c − 1,
 * so once a task has read every peer's blocks of c it removes its own blocks of c − 1; the driver removes the
 * blocks of the last collectives when the stage has ended ({@link #leftOver}); a failing task removes its own.
 * Waiting is bounded by {@code spark.barrier.sync.timeout}.
 */
final class BlockManagerExchange extends BarrierExchange {

    private static final long MAX_POLL_NANOS = 2_000_000;

    private final BlockManager blocks;
    private final String prefix;
    private final long timeoutNanos;
    private int sequence;
    private long peerFetched;
    private float[] scratch;
    private float[] earlier;
    private final boolean[] sameExecutor;
    private final boolean allSameExecutor;
    private List<Published> previous = new ArrayList<>();
    private List<Published> current = new ArrayList<>();

    /** A block this task put, and whether the master was told of it (then its removal must tell the master too). */
    private record Published(TestBlockId id, boolean told) {
    }

    BlockManagerExchange(BarrierTaskContext barrier, long nonce) {
        super(barrier);
        this.blocks = SparkEnv.get().blockManager();
        this.prefix = prefix(nonce) + "a" + barrier.stageAttemptNumber() + "-";
        this.timeoutNanos = SparkEnv.get().conf().getTimeAsSeconds("spark.barrier.sync.timeout", "365d")
                * 1_000_000_000L;
        BarrierTaskInfo[] infos = barrier.getTaskInfos();
        this.sameExecutor = new boolean[parts];
        boolean all = true;
        for (int q = 0; q < parts; q++) {
            sameExecutor[q] = infos[q].address().equals(infos[partition].address());
            all &= sameExecutor[q];
        }
        this.allSameExecutor = all;
    }

    static String prefix(long nonce) {
        return "concord-" + Long.toHexString(nonce) + "-";
    }

    /** Driver side: removes blocks a finished stage left behind, by name. */
    static void remove(List<String> names) {
        BlockManagerMaster master = SparkEnv.get().blockManager().master();
        names.forEach(name -> master.removeBlock(new TestBlockId(name)));
    }

    /**
     * Blocks still published after {@link #close}: those of the closing collective, all reported to the master, so
     * the driver can remove them wherever they are.
     */
    @Override
    public List<String> leftOver() {
        List<String> names = new ArrayList<>();
        previous.forEach(b -> names.add(b.id().id()));
        current.forEach(b -> names.add(b.id().id()));
        return names;
    }

    @Override
    public void reduceInPlace(float[] full) {
        Slices slices = new Slices(full.length, parts);
        String base = prefix + (sequence++) + "-";
        for (int q = 0; q < parts; q++) {
            if (q != partition) {
                put(base + partition + "-" + q, floatBytes(full, slices.lo(q), slices.size(q)), !sameExecutor[q]);
            }
        }
        int lo = slices.lo(partition);
        int size = slices.size(partition);
        // ((v0 + v1) + …) + v_p + …: the peers before this partition fold into a buffer, which is added to the own
        // slice in place (IEEE addition is commutative), then the later peers are added to it one at a time
        float[] before = null;
        for (int s = 0; s < parts; s++) {
            if (s == partition) {
                if (before != null) {
                    addInto(full, lo, before);
                }
                continue;
            }
            String name = base + s + "-" + partition;
            float[] peer = scratch(size);
            await(name, s, b -> readInto(b, peer, 0, size, name));
            if (s > partition) {
                addInto(full, lo, peer);
            } else if (before == null) {
                before = earlier(size);
                System.arraycopy(peer, 0, before, 0, size);
            } else {
                addInto(before, peer, 0);
            }
        }
        collectiveDone();
    }

    @Override
    public void gatherInto(float[] vector) {
        Slices slices = new Slices(vector.length, parts);
        String base = prefix + (sequence++) + "-";
        put(base + partition, floatBytes(vector, slices.lo(partition), slices.size(partition)), !allSameExecutor);
        for (int s = 0; s < parts; s++) {
            if (s != partition) {
                String name = base + s;
                int lo = slices.lo(s);
                int size = slices.size(s);
                await(name, s, b -> readInto(b, vector, lo, size, name));
            }
        }
        collectiveDone();
    }

    /** One reusable buffer for the peers' contributions of a reduce-scatter (they are added one at a time). */
    private float[] scratch(int size) {
        if (scratch == null || scratch.length != size) {
            scratch = new float[size];
        }
        return scratch;
    }

    /** A second reusable buffer: the fold of the peers before this partition. */
    private float[] earlier(int size) {
        if (earlier == null || earlier.length != size) {
            earlier = new float[size];
        }
        return earlier;
    }

    /** {@code full[lo + i] += values[i]} for every i of values. */
    private static void addInto(float[] full, int lo, float[] values) {
        for (int i = 0; i < values.length; i++) {
            full[lo + i] += values[i];
        }
    }

    @Override
    public String[] allGather(String payload) {
        return allGather(payload, !allSameExecutor);
    }

    private String[] allGather(String payload, boolean tellMaster) {
        String base = prefix + (sequence++) + "-";
        byte[] own = payload.getBytes(StandardCharsets.UTF_8);
        put(base + partition, ByteBuffer.wrap(own), tellMaster);
        String[] out = new String[parts];
        for (int s = 0; s < parts; s++) {
            if (s == partition) {
                out[s] = payload;
            } else {
                out[s] = await(base + s, s, b -> {
                    byte[] bytes = new byte[b.remaining()];
                    b.duplicate().get(bytes);
                    return new String(bytes, StandardCharsets.UTF_8);
                });
            }
        }
        collectiveDone();
        return out;
    }

    /** Every peer has published this collective, so it has finished reading the previous one. */
    private void collectiveDone() {
        previous.forEach(this::remove);
        previous = current;
        current = new ArrayList<>();
    }

    private void remove(Published block) {
        blocks.removeBlock(block.id(), block.told());
    }

    @Override
    public long peerBytesFetched() {
        return peerFetched;
    }

    /**
     * One last, empty collective whose blocks are reported to the master: once every peer has published it, every
     * peer has read this task's earlier blocks, which it removes itself; the driver removes the last ones by name.
     */
    @Override
    public void close() {
        allGather("", true);
    }

    @Override
    public void abandon() {
        previous.forEach(this::remove);
        current.forEach(this::remove);
        previous = new ArrayList<>();
        current = new ArrayList<>();
    }

    /**
     * Publications of this executor's tasks, so a reader whose peer shares the executor (local mode, several cores
     * per executor) wakes as soon as the block is there instead of at its next poll.
     */
    private static final class LocalPublications {
        private static final AtomicLong COUNT = new AtomicLong();
        private static final Set<Thread> WAITERS = ConcurrentHashMap.newKeySet();

        private LocalPublications() {
        }

        static long count() {
            return COUNT.get();
        }

        static void published() {
            COUNT.incrementAndGet();
            WAITERS.forEach(LockSupport::unpark);
        }

        /**
         * Parks up to {@code nanos} unless something was published since {@code seen} was read (a waiter registers
         * before it re-reads the count, so a publication in between leaves it a permit).
         */
        static void awaitAfter(long seen, long nanos) {
            Thread me = Thread.currentThread();
            WAITERS.add(me);
            try {
                if (COUNT.get() == seen) {
                    LockSupport.parkNanos(nanos);
                }
            } finally {
                WAITERS.remove(me);
            }
        }
    }

    private static ByteBuffer floatBytes(float[] values, int offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values, offset, length);
        return buffer;
    }

    private void put(String name, ByteBuffer bytes, boolean tellMaster) {
        TestBlockId id = new TestBlockId(name);
        boolean stored = blocks.putBytes(id, new ChunkedByteBuffer(bytes), StorageLevel.MEMORY_AND_DISK_SER(),
                tellMaster, ClassTag$.MODULE$.Any());
        if (!stored) {
            throw new IllegalStateException("block manager refused block " + name + " (" + bytes.capacity()
                    + " bytes); give executors more memory (spark.executor.memory)");
        }
        current.add(new Published(id, tellMaster));
        LocalPublications.published();
    }

    /**
     * Waits for peer {@code writer}'s block and reads it with {@code reader} (in place, under the block's read lock,
     * when the peer shares this executor; {@code reader} must not keep the buffer).
     */
    private <T> T await(String name, int writer, Function<ByteBuffer, T> reader) {
        BlockId id = new TestBlockId(name);
        long start = System.nanoTime();
        long pause = 20_000;
        while (true) {
            long seen = LocalPublications.count();
            Option<BlockData> local = blocks.getLocalBytes(id);
            if (local.isDefined()) {
                try {
                    return reader.apply(local.get().toByteBuffer());
                } finally {
                    blocks.releaseLock(id, Option.empty());
                }
            }
            if (!sameExecutor[writer] && !blocks.master().getLocations(id).isEmpty()) {
                Option<ChunkedByteBuffer> remote = blocks.getRemoteBytes(id);
                if (remote.isDefined()) {
                    ByteBuffer b = remote.get().toByteBuffer();
                    peerFetched += b.remaining();
                    return reader.apply(b);
                }
            }
            if (barrier.isInterrupted()) {
                throw new IllegalStateException("task killed while waiting for block " + name);
            }
            if (System.nanoTime() - start > timeoutNanos) {
                throw new IllegalStateException("no peer published block " + name + " within "
                        + timeoutNanos / 1_000_000_000L + " s (spark.barrier.sync.timeout): a peer is stuck or lost");
            }
            // a peer in this executor wakes us when it publishes; a remote one is polled with back-off
            LocalPublications.awaitAfter(seen, pause);
            pause = Math.min(MAX_POLL_NANOS, pause * 2);
        }
    }

    /** Copies a slice block into {@code out[offset, offset + length)}. */
    private static Void readInto(ByteBuffer bytes, float[] out, int offset, int length, String name) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() != length * Float.BYTES) {
            throw new IllegalStateException("slice block under " + name + " holds " + b.remaining()
                    + " bytes, expected " + length * Float.BYTES);
        }
        b.asFloatBuffer().get(out, offset, length);
        return null;
    }
}
