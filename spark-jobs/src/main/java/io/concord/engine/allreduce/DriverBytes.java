package io.concord.engine.allreduce;

import org.apache.spark.SparkEnv;
import org.apache.spark.serializer.SerializationStream;
import scala.reflect.ClassTag$;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Sizes of what the driver sends or receives, measured by serializing into a counter (nothing is kept). */
public final class DriverBytes {

    private DriverBytes() {
    }

    /** Bytes of {@code value} in Spark's configured serializer (what a broadcast or task result costs). */
    public static long serialized(Object value) {
        Counter counter = new Counter();
        SerializationStream stream = SparkEnv.get().serializer().newInstance().serializeStream(counter);
        stream.writeObject(value, ClassTag$.MODULE$.AnyRef());
        stream.close();
        return counter.count;
    }

    /** Bytes of {@code value} in Java serialization (what a task closure costs). */
    public static long javaSerialized(Object value) {
        Counter counter = new Counter();
        try (ObjectOutputStream out = new ObjectOutputStream(counter)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException("measuring the serialized size of " + value.getClass().getName(), e);
        }
        return counter.count;
    }

    private static final class Counter extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
