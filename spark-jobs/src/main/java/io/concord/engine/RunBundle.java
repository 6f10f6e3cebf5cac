package io.concord.engine;

import io.concord.engine.sync.RoundWork;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag$;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The engine's per-run bundle ({@link RoundWork}: model, optimizer, batch plan, config, statistics, capabilities)
 * shipped to the executors once per run instead of inside every task of every round. It travels as a broadcast of
 * its Java-serialised bytes, exactly what a task closure carried, so executors rebuild the same objects whatever
 * {@code spark.serializer} is; each executor deserialises it once and keeps it across the run's rounds and stages.
 * A model that declares itself not thread-safe ({@code ModelCapabilities.threadSafe()}) gets one copy per task
 * thread instead. Tasks capture only this handle.
 */
final class RunBundle<R> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Bundles kept per executor (and per thread for the not thread-safe); older runs' are dropped. */
    private static final int KEPT = 4;

    private static final Map<String, RoundWork<?>> SHARED = Collections.synchronizedMap(recent(KEPT));
    private static final ThreadLocal<Map<String, RoundWork<?>>> PER_THREAD = ThreadLocal.withInitial(() -> recent(2));

    /** Unique per bundle: broadcast ids restart with every SparkContext, and executor caches outlive contexts. */
    private final String id = UUID.randomUUID().toString();
    private final Broadcast<byte[]> bytes;
    private final boolean threadSafe;
    private final int size;
    private final transient RoundWork<R> driverCopy;

    private RunBundle(Broadcast<byte[]> bytes, boolean threadSafe, int size, RoundWork<R> driverCopy) {
        this.bytes = bytes;
        this.threadSafe = threadSafe;
        this.size = size;
        this.driverCopy = driverCopy;
    }

    static <R> RunBundle<R> ship(JavaSparkContext sc, RoundWork<R> work) {
        ByteBuffer buffer = serializer().serialize(work, ClassTag$.MODULE$.AnyRef());
        byte[] array = new byte[buffer.remaining()];
        buffer.get(array);
        return new RunBundle<>(sc.broadcast(array), work.capabilities().threadSafe(), array.length, work);
    }

    /** The bundle's serialised size in bytes. */
    int size() {
        return size;
    }

    /** The bundle: the driver's own on the driver, this executor's (or this thread's) copy on an executor. */
    @SuppressWarnings("unchecked")
    RoundWork<R> value() {
        if (driverCopy != null) {
            return driverCopy;
        }
        if (!threadSafe) {
            return (RoundWork<R>) PER_THREAD.get().computeIfAbsent(id, k -> decode());
        }
        synchronized (SHARED) {
            return (RoundWork<R>) SHARED.computeIfAbsent(id, k -> decode());
        }
    }

    void destroy() {
        bytes.destroy();
    }

    private RoundWork<?> decode() {
        return (RoundWork<?>) serializer().deserialize(ByteBuffer.wrap(bytes.value()),
                Thread.currentThread().getContextClassLoader(), ClassTag$.MODULE$.AnyRef());
    }

    /** Spark's closure serializer (Java serialisation with the task's class loader). */
    private static SerializerInstance serializer() {
        return SparkEnv.get().closureSerializer().newInstance();
    }

    private static Map<String, RoundWork<?>> recent(int kept) {
        return new LinkedHashMap<>(kept, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RoundWork<?>> eldest) {
                return size() > kept;
            }
        };
    }
}
