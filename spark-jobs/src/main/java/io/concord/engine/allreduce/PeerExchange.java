package io.concord.engine.allreduce;

import io.concord.engine.Transport;
import org.apache.spark.BarrierTaskContext;

import java.util.List;

/**
 * The collectives of one barrier task, called by every task of the stage in the same order. Vectors are split by
 * {@link Slices}; partition p owns slice p.
 */
public interface PeerExchange extends AutoCloseable {

    /**
     * Reduce-scatter in place: slice {@code p} of {@code full} (this partition's) becomes the sum of every
     * partition's slice {@code p}, folded left in PARTITION order ({@code ((v0 + v1) + v2) + …}), so the result is
     * bit-identical to the driver's ordered reduce; the other slices of {@code full} are left as they were.
     * Peers may read their slices straight out of {@code full}: until its next collective the caller changes them
     * only through {@link #gatherInto} or {@link #gatherStable} of {@code full} (which overwrite slice q with owner
     * q's value only after q has published it, so has finished reading).
     */
    void reduceInPlace(float[] full);

    /**
     * {@link #reduceInPlace} and {@link #allGather} of a small payload in one collective (one wait for the peers
     * instead of two); returns every partition's payload in partition order.
     */
    default String[] reduceWithPayload(float[] full, String payload) {
        String[] payloads = allGather(payload);
        reduceInPlace(full);
        return payloads;
    }

    /**
     * All-gather in place: publishes this partition's slice of {@code vector} and overwrites every other slice with
     * its owner's, so every task ends with the same whole vector (no vector-sized allocation). The caller may change
     * its own slice right after the call returns (peers read a copy of it).
     */
    void gatherInto(float[] vector);

    /**
     * {@link #gatherInto}, for a caller that leaves its own slice of {@code vector} unchanged until its next
     * collective: peers may then copy it straight out of {@code vector}, without a copy of the writer's.
     */
    default void gatherStable(float[] vector) {
        gatherInto(vector);
    }

    /** Small payloads (scalars, statistics) from every partition, in partition order. */
    String[] allGather(String payload);

    /** A collective that carries nothing: returns once every task of the stage has called it. */
    default void barrier() {
        allGather("");
    }

    /**
     * When every task of the stage runs in this executor (local mode, or one executor with a slot per partition): one
     * zeroed array of {@code length} floats under {@code role}, the same for every task of this stage attempt, so
     * the tasks can keep one copy of a vector whose slices each owner writes; null otherwise. Callers write only their
     * own slice and read the others' after a collective.
     */
    default float[] sharedVector(String role, int length) {
        return null;
    }

    /** Bytes this task sent to / received from the driver (the barrier coordinator's RPC). */
    long driverBytesSent();

    long driverBytesReceived();

    /** Bytes this task received from peers in other executors (0 when every peer is in this executor). */
    long peerBytesFetched();

    /**
     * The task's rounds are done; a collective of every task (what is still published then is {@link #leftOver},
     * freed by {@link #cleanUp} on the driver).
     */
    @Override
    void close();

    /** Frees what this task published without waiting (the stage failed). */
    void abandon();

    /** The exchange of {@code transport} for the current barrier task. */
    static PeerExchange open(Transport transport, BarrierTaskContext task, long nonce) {
        return switch (transport) {
            case ALLREDUCE -> new PushExchange(task, nonce);
            case ALLREDUCE_RPC -> new RpcExchange(task);
            case DRIVER -> throw new IllegalArgumentException("the driver transport has no peer exchange");
        };
    }

    /** How many {@link #sharedVector}s this JVM's registry holds (0 once every stage's tasks closed or abandoned). */
    static int sharedVectorsHeld() {
        return PushExchange.sharedVectorsHeld();
    }

    /** Names of the blocks this task still holds after {@link #close} (the driver removes them). */
    default List<String> leftOver() {
        return List.of();
    }

    /** Driver side, after a successful stage: frees the blocks its tasks left behind. */
    static void cleanUp(Transport transport, List<String> blockNames) {
        if (transport == Transport.ALLREDUCE && !blockNames.isEmpty()) {
            PushExchange.remove(blockNames);
        }
    }
}
