package io.concord.engine.allreduce;

import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockManagerMaster;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.StorageUtils;
import org.apache.spark.storage.TestBlockId;
import org.apache.spark.util.io.ChunkedByteBuffer;
import scala.Option;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * BigDL's AllReduceParameter design (partition p owns slice p of every vector), with each slice delivered to where its
 * reader waits, so a reader never asks anyone where a slice is:
 * <ul>
 *   <li>a peer in this executor (the same address in {@code getTaskInfos()}: every peer in local mode) reads the
 *   writer's vector in place, in this JVM, with no block and no copy ({@link LocalArrays}: a reduce-scatter adds the
 *   peer's slice straight out of its gradient, an all-gather copies it straight into the reader's vector, and a
 *   small payload is read as the writer's string); only the closing collective puts blocks in the block manager,
 *   reported to the master for the driver to remove. The writer withdraws what it shared once every peer has
 *   published the next collective (so has read this one);</li>
 *   <li>a peer in another executor gets its own copy streamed into its executor's {@link PeerInbox} (Spark's
 *   network-common with Spark's authentication and encryption settings): an all-gather slice is written straight into
 *   the reader's vector as it arrives, a reduce-scatter contribution into an array of its own, and the reader takes
 *   it from there.</li>
 * </ul>
 * The driver hears of none of this beyond the stage's first collective, where tasks that span executors exchange
 * their inboxes' addresses through blocks reported to the master. (Until 2026-12-08 a slice for another executor was
 * uploaded into its block manager, which reports every stored and removed block synchronously to the driver's
 * {@code BlockManagerMaster}, one message at a time: ~57 ms per remote slice on a small cluster.)
 *
 * <p>Waiting for a slice is the only synchronisation: Spark's {@code BarrierTaskContext.barrier()} polls its RPC once
 * per second, which would cost a second per collective. Slices are named by run nonce, stage attempt and collective
 * sequence number, so a retried stage never reads a failed attempt's slices; a failing task removes what it put and
 * drops what was, or is later, pushed to it; the blocks of the closing collective, reported to the master, are
 * removed by the driver ({@link #leftOver}). (Asking the master for a run's blocks instead is not safe:
 * {@code getMatchingBlockIds} iterates the master's maps outside its message loop and fails with a
 * ConcurrentModificationException under load.) Waiting is bounded by {@code spark.barrier.sync.timeout}.
 */
final class PushExchange extends BarrierExchange {

    private static final long MAX_POLL_NANOS = 2_000_000;

    private final BlockManager blocks;
    private final String prefix;
    private final long timeoutNanos;
    private final boolean[] sameExecutor;
    private final boolean allSameExecutor;
    /** Whether another task of this stage runs in this executor. */
    private final boolean localPeers;
    /** Where to push to each peer in another executor: its executor's {@link PeerInbox}; null if there are none. */
    private final InboxAddress[] peers;
    private final PeerInbox inbox;
    private int sequence;
    private long peerFetched;
    private float[] earlier;
    /**
     * Per peer in another executor: the off-heap buffer this task streams its slices to it from (index
     * {@code partition}: its own slice for every peer's all-gather), reused once the collective's pushes have landed,
     * and the array the peer's reduce-scatter contribution is written into as it arrives.
     */
    private final ByteBuffer[] outgoing;
    private final float[][] incoming;
    private List<Published> previous = new ArrayList<>();
    private List<Published> current = new ArrayList<>();
    private final List<CompletableFuture<Void>> uploads = new ArrayList<>();
    /** Names of the {@link #sharedVector}s this task took (forgotten when it closes or abandons). */
    private final List<String> sharedVectors = new ArrayList<>();

    /**
     * What this task published: a block, and whether the master was told of it (then its removal must tell the master
     * too), or an array shared in place with the peers in this executor ({@link LocalArrays}).
     */
    private record Published(String name, boolean told, boolean shared) {
    }

    private record InboxAddress(String host, int port) {
    }

    /** An array shared in place: element i of the whole vector is {@code array[i - origin]}. */
    private record Shared(float[] array, int origin, String payload) {
    }

    PushExchange(BarrierTaskContext barrier, long nonce) {
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
        boolean local = false;
        for (int q = 0; q < parts; q++) {
            local |= q != partition && sameExecutor[q];
        }
        this.localPeers = local;
        // the same on every task: if the tasks span executors, every task has a peer in another one
        this.inbox = all ? null : PeerInbox.ofThisExecutor(blocks.blockManagerId().host(),
                LocalPublications::published);
        this.peers = all ? null : inboxAddresses();
        this.outgoing = new ByteBuffer[parts];
        this.incoming = new float[parts][];
    }

    static String prefix(long nonce) {
        return "concord-" + Long.toHexString(nonce) + "-";
    }

    /** Driver side, after a stage: removes the blocks its tasks left behind, by name. */
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
        previous.stream().filter(b -> !b.shared()).forEach(b -> names.add(b.name()));
        current.stream().filter(b -> !b.shared()).forEach(b -> names.add(b.name()));
        return names;
    }

    @Override
    public void reduceInPlace(float[] full) {
        reduce(full, null);
    }

    @Override
    public String[] reduceWithPayload(float[] full, String payload) {
        return reduce(full, payload);
    }

    /**
     * The reduce-scatter; with a payload also its all-gather in the same collective (peers in this executor find it
     * with the shared vector, peers in other executors get it uploaded under its own sequence number).
     */
    private String[] reduce(float[] full, String payload) {
        String payloadBase = payload == null ? null : prefix + (sequence++) + "-";
        String[] payloads = payload == null ? null : new String[parts];
        if (payload != null) {
            payloads[partition] = payload;
            for (int q = 0; q < parts; q++) {
                if (!sameExecutor[q]) {
                    pushText(q, payloadBase + partition + ">" + q, payload);
                }
            }
        }
        Slices slices = new Slices(full.length, parts);
        String base = prefix + (sequence++) + "-";
        for (int q = 0; q < parts; q++) {
            if (!sameExecutor[q]) {
                push(q, base + partition + "-" + q, outgoing(q, full, slices.lo(q), slices.size(q)));
            }
        }
        if (localPeers) {
            share(base + partition, full, 0, payload);
        }
        int lo = slices.lo(partition);
        int size = slices.size(partition);
        for (int s = 0; s < parts; s++) {
            if (!sameExecutor[s]) {
                if (incoming[s] == null || incoming[s].length != size) {
                    incoming[s] = new float[size];
                }
                inbox.expect(base + s + "-" + partition, incoming[s], 0, size);
            }
        }
        // ((v0 + v1) + …) + v_p + …: the peers before this partition fold into a buffer, which is added to the own
        // slice in place (IEEE addition is commutative; with one earlier peer it is added directly), then the later
        // peers are added to it one at a time
        float[] before = null;
        for (int s = 0; s < parts; s++) {
            if (s == partition) {
                if (before != null) {
                    addInto(full, lo, before, 0, size);
                }
                continue;
            }
            float[] source;
            int offset;
            if (sameExecutor[s]) {
                Shared shared = awaitShared(base + s);
                source = shared.array();
                offset = lo - shared.origin();
                if (payloads != null) {
                    payloads[s] = shared.payload();
                }
            } else {
                if (payloads != null) {
                    payloads[s] = awaitArrival(payloadBase + s + ">" + partition).text();
                }
                PeerInbox.Landed peer = awaitSlice(base + s + "-" + partition, size);
                source = peer.floats();
                offset = peer.offset();
            }
            if (s > partition || partition == 1) {
                addInto(full, lo, source, offset, size);
            } else if (before == null) {
                before = earlier(size);
                System.arraycopy(source, offset, before, 0, size);
            } else {
                addInto(before, 0, source, offset, size);
            }
        }
        collectiveDone();
        return payloads;
    }

    @Override
    public void gatherInto(float[] vector) {
        gather(vector, false);
    }

    @Override
    public void gatherStable(float[] vector) {
        gather(vector, true);
    }

    /** {@code inPlace}: peers in this executor copy this task's slice straight out of {@code vector}. */
    private void gather(float[] vector, boolean inPlace) {
        Slices slices = new Slices(vector.length, parts);
        String base = prefix + (sequence++) + "-";
        int lo = slices.lo(partition);
        int size = slices.size(partition);
        if (!allSameExecutor) {
            // the peers' slices are written straight into the vector as they arrive (unless one already has)
            for (int s = 0; s < parts; s++) {
                if (!sameExecutor[s]) {
                    inbox.expect(base + s + ">" + partition, vector, slices.lo(s), slices.size(s));
                }
            }
            ByteBuffer bytes = outgoing(partition, vector, lo, size);
            for (int q = 0; q < parts; q++) {
                if (!sameExecutor[q]) {
                    push(q, base + partition + ">" + q, bytes.duplicate());
                }
            }
        }
        if (localPeers) {
            if (inPlace) {
                share(base + partition, vector, 0, null);
            } else {
                share(base + partition, Arrays.copyOfRange(vector, lo, lo + size), lo, null);
            }
        }
        for (int s = 0; s < parts; s++) {
            if (s != partition) {
                int from = slices.lo(s);
                int length = slices.size(s);
                if (sameExecutor[s]) {
                    Shared shared = awaitShared(base + s);
                    System.arraycopy(shared.array(), from - shared.origin(), vector, from, length);
                } else {
                    PeerInbox.Landed peer = awaitSlice(base + s + ">" + partition, length);
                    if (!peer.inPlace()) {
                        System.arraycopy(peer.floats(), peer.offset(), vector, from, length);
                    }
                }
            }
        }
        collectiveDone();
    }

    @Override
    public String[] allGather(String payload) {
        return allGather(payload, false);
    }

    /** With every peer in this executor, nothing but a publication in this JVM per task. */
    @Override
    public void barrier() {
        if (!allSameExecutor) {
            allGather("");
            return;
        }
        String base = prefix + (sequence++) + "-";
        share(base + partition, null, 0, null);
        for (int s = 0; s < parts; s++) {
            if (s != partition) {
                awaitShared(base + s);
            }
        }
        collectiveDone();
    }

    @Override
    public float[] sharedVector(String role, int length) {
        if (!allSameExecutor) {
            return null;
        }
        String name = prefix + "vector-" + role;
        sharedVectors.add(name);
        float[] vector = SharedVectors.BY_NAME.computeIfAbsent(name, n -> new float[length]);
        if (vector.length != length) {
            throw new IllegalStateException("shared vector " + role + " has " + vector.length + " floats, asked for "
                    + length);
        }
        return vector;
    }

    /**
     * Peers in this executor read the payload in place, in this JVM, like a reduce-scatter's payload; peers in other
     * executors get it uploaded. {@code closing}: every peer reads a block this task puts locally and reports to the
     * master, for the driver to remove.
     */
    private String[] allGather(String payload, boolean closing) {
        String base = prefix + (sequence++) + "-";
        publish(base, payload, closing);
        String[] out = new String[parts];
        for (int s = 0; s < parts; s++) {
            if (s == partition) {
                out[s] = payload;
            } else if (sameExecutor[s] && !closing) {
                out[s] = awaitShared(base + s).payload();
            } else if (sameExecutor[s]) {
                out[s] = await(base + s, false, PushExchange::text);
            } else {
                out[s] = awaitArrival(base + s + ">" + partition).text();
            }
        }
        collectiveDone();
        return out;
    }

    /**
     * The stage's first collective where tasks span executors: every task's {@link PeerInbox} address, through the
     * block manager master (blocks reported to it, looked up there by readers in other executors).
     */
    private InboxAddress[] inboxAddresses() {
        String base = prefix + (sequence++) + "-";
        String own = inbox.host() + "\t" + inbox.port();
        put(base + partition, ByteBuffer.wrap(own.getBytes(StandardCharsets.UTF_8)), true);
        InboxAddress[] addresses = new InboxAddress[parts];
        for (int s = 0; s < parts; s++) {
            String[] f = (s == partition ? own : await(base + s, !sameExecutor[s], PushExchange::text))
                    .split("\t");
            addresses[s] = new InboxAddress(f[0], Integer.parseInt(f[1]));
        }
        collectiveDone();
        return addresses;
    }

    /**
     * This task's part of an all-gather: uploaded to each peer in another executor; shared in place with the peers in
     * this executor, or, {@code closing}, put once for them as a block reported to the master.
     */
    private void publish(String base, String payload, boolean closing) {
        for (int q = 0; q < parts; q++) {
            if (!sameExecutor[q]) {
                pushText(q, base + partition + ">" + q, payload);
            }
        }
        if (localPeers && closing) {
            put(base + partition, ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)), true);
        } else if (localPeers) {
            share(base + partition, null, 0, payload);
        }
    }

    /** Every peer has published this collective, so it has finished reading the previous one. */
    private void collectiveDone() {
        for (CompletableFuture<Void> upload : uploads) {
            try {
                upload.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("pushing a slice to a peer executor failed: " + e.getCause(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("task interrupted while pushing to a peer executor", e);
            }
        }
        uploads.clear();
        previous.forEach(this::remove);
        previous = current;
        current = new ArrayList<>();
    }

    private void remove(Published block) {
        if (block.shared()) {
            LocalArrays.remove(block.name());
        } else {
            blocks.removeBlock(new TestBlockId(block.name()), block.told());
        }
    }

    /** A second reusable buffer: the fold of the peers before this partition. */
    private float[] earlier(int size) {
        if (earlier == null || earlier.length != size) {
            earlier = new float[size];
        }
        return earlier;
    }

    /** {@code target[at + i] += source[from + i]} for i in [0, length). */
    private static void addInto(float[] target, int at, float[] source, int from, int length) {
        for (int i = 0; i < length; i++) {
            target[at + i] += source[from + i];
        }
    }

    @Override
    public long peerBytesFetched() {
        return peerFetched;
    }

    /**
     * One last, empty collective whose local blocks are reported to the master: once every peer has published it,
     * every peer has read this task's earlier blocks, which it removes itself; the driver removes the last ones.
     */
    @Override
    public void close() {
        allGather("", true);
        forgetSharedVectors();
        // every push has landed (each collective awaited its own): nothing reads the off-heap buffers any more
        for (int q = 0; q < parts; q++) {
            if (outgoing[q] != null) {
                StorageUtils.dispose(outgoing[q]);
                outgoing[q] = null;
            }
        }
    }

    /** Every task holds its own reference; the registry entry only has to outlive the tasks' first look-up. */
    private void forgetSharedVectors() {
        sharedVectors.forEach(SharedVectors.BY_NAME::remove);
        sharedVectors.clear();
    }

    /**
     * Removes what this task put, drops what peers in other executors pushed to it in this attempt, and what they
     * still push.
     */
    @Override
    public void abandon() {
        forgetSharedVectors();
        uploads.clear();
        previous.forEach(this::remove);
        current.forEach(this::remove);
        previous = new ArrayList<>();
        current = new ArrayList<>();
        if (inbox != null) {
            inbox.abandon(prefix + partition, prefix);
        }
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

    /**
     * Tasks of one executor share vectors in place, in this JVM, instead of copying them through blocks: each reader
     * folds or copies its slice straight out of the writer's array. The writer must leave what its readers read
     * unchanged until its next collective (every peer has then finished reading); see {@link PeerExchange}.
     */
    private static final class LocalArrays {
        private static final ConcurrentHashMap<String, Shared> BY_NAME = new ConcurrentHashMap<>();

        private LocalArrays() {
        }

        static void put(String name, Shared shared) {
            BY_NAME.put(name, shared);
            LocalPublications.published();
        }

        static Shared get(String name) {
            return BY_NAME.get(name);
        }

        static void remove(String name) {
            BY_NAME.remove(name);
        }
    }

    /**
     * The {@link #sharedVector}s of this executor's running stages, by stage attempt and role: a retried attempt gets
     * fresh ones, whatever a failed attempt's tasks still write into theirs.
     */
    private static final class SharedVectors {
        private static final ConcurrentHashMap<String, float[]> BY_NAME = new ConcurrentHashMap<>();

        private SharedVectors() {
        }
    }

    static int sharedVectorsHeld() {
        return SharedVectors.BY_NAME.size();
    }

    private void share(String name, float[] array, int origin, String payload) {
        LocalArrays.put(name, new Shared(array, origin, payload));
        current.add(new Published(name, false, true));
    }

    /** Waits for the array a peer in this executor shares under {@code name}. */
    private Shared awaitShared(String name) {
        long start = System.nanoTime();
        long pause = 20_000;
        while (true) {
            long seen = LocalPublications.count();
            Shared shared = LocalArrays.get(name);
            if (shared != null) {
                return shared;
            }
            checkWaiting(name, start);
            LocalPublications.awaitAfter(seen, pause);
            pause = Math.min(MAX_POLL_NANOS, pause * 2);
        }
    }

    private void checkWaiting(String name, long start) {
        if (barrier.isInterrupted()) {
            throw new IllegalStateException("task killed while waiting for block " + name);
        }
        if (System.nanoTime() - start > timeoutNanos) {
            throw new IllegalStateException("no peer published block " + name + " within "
                    + timeoutNanos / 1_000_000_000L + " s (spark.barrier.sync.timeout): a peer is stuck or lost");
        }
    }

    /**
     * {@code values[offset, offset + length)} as little-endian bytes in the reusable off-heap buffer {@code slot} (the
     * socket writes it without another copy); free again once {@link #collectiveDone} has awaited the pushes.
     */
    private ByteBuffer outgoing(int slot, float[] values, int offset, int length) {
        int bytes = length * Float.BYTES;
        if (outgoing[slot] == null || outgoing[slot].capacity() < bytes) {
            outgoing[slot] = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer buffer = outgoing[slot].clear().limit(bytes);
        buffer.asFloatBuffer().put(values, offset, length);
        return buffer.slice();
    }

    private static String text(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void put(String name, ByteBuffer bytes, boolean tellMaster) {
        TestBlockId id = new TestBlockId(name);
        boolean stored = blocks.putBytes(id, new ChunkedByteBuffer(bytes), StorageLevel.MEMORY_AND_DISK_SER(),
                tellMaster, ClassTag$.MODULE$.Any());
        if (!stored) {
            throw new IllegalStateException("block manager refused block " + name + " (" + bytes.capacity()
                    + " bytes); give executors more memory (spark.executor.memory)");
        }
        current.add(new Published(name, tellMaster, false));
        LocalPublications.published();
    }

    /** Streams a slice to peer {@code q}'s executor inbox (awaited when the collective is done). */
    private void push(int q, String name, ByteBuffer bytes) {
        uploads.add(inbox.sendFloats(peers[q].host(), peers[q].port(), name, prefix + q, bytes));
    }

    private void pushText(int q, String name, String text) {
        uploads.add(inbox.sendText(peers[q].host(), peers[q].port(), name, prefix + q, text));
    }

    /** Waits for what a peer in another executor pushed to this task under {@code name}, and takes it. */
    private PeerInbox.Landed awaitArrival(String name) {
        long start = System.nanoTime();
        long pause = 20_000;
        while (true) {
            long seen = LocalPublications.count();
            PeerInbox.Landed landed = inbox.take(name);
            if (landed != null) {
                peerFetched += landed.bytes();
                return landed;
            }
            checkWaiting(name, start);
            LocalPublications.awaitAfter(seen, pause);
            pause = Math.min(MAX_POLL_NANOS, pause * 2);
        }
    }

    private PeerInbox.Landed awaitSlice(String name, int length) {
        PeerInbox.Landed landed = awaitArrival(name);
        if (landed.text() != null || landed.length() != length) {
            throw new IllegalStateException("slice " + name + " holds " + landed.length() + " floats, expected "
                    + length);
        }
        return landed;
    }

    /**
     * Waits for a block in this block manager, put by a peer in this executor, and reads it with {@code reader} (in
     * place, under the block's read lock; {@code reader} must not keep the buffer). {@code viaMaster}: the block stays
     * with a writer in another executor, found through the master and fetched (only the stage's first collective).
     */
    private <T> T await(String name, boolean viaMaster, Function<ByteBuffer, T> reader) {
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
            if (viaMaster && !blocks.master().getLocations(id).isEmpty()) {
                Option<ChunkedByteBuffer> fetched = blocks.getRemoteBytes(id);
                if (fetched.isDefined()) {
                    ByteBuffer b = fetched.get().toByteBuffer();
                    peerFetched += b.remaining();
                    return reader.apply(b);
                }
            }
            checkWaiting(name, start);
            // a peer in this executor wakes us when it publishes; a remote block is polled for (first collective)
            LocalPublications.awaitAfter(seen, pause);
            pause = Math.min(MAX_POLL_NANOS, pause * 2);
        }
    }
}
