package io.concord.job;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * The one way evaluators add up per-partition results: each partition turns its records into one value, the values
 * come back in partition order ({@code collect}) and are folded left to right on the driver. Spark's {@code reduce}
 * merges in task-completion order, so a double sum (and the metric that picks the best round or stops training
 * early) could differ between identical runs; a partition-order fold cannot.
 */
public final class PartitionOrderedSum {

    private PartitionOrderedSum() {
    }

    /** One partition's value; called once per partition, empty partitions included. */
    @FunctionalInterface
    public interface PartitionValue<T, R> extends Serializable {
        R apply(Iterator<T> records) throws Exception;
    }

    /** One partition's value computed with the broadcast parameters. */
    @FunctionalInterface
    public interface ParamsValue<T, R> extends Serializable {
        R apply(float[] params, Iterator<T> records) throws Exception;
    }

    /** Folds {@code value(partition)} over the partitions of {@code data} in partition order with {@code merge}. */
    public static <T, R> R fold(JavaRDD<T> data, PartitionValue<T, R> value, BinaryOperator<R> merge) {
        List<R> parts = data.mapPartitions(it -> List.of(value.apply(it)).iterator(), true).collect();
        R acc = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            acc = merge.apply(acc, parts.get(i));
        }
        return acc;
    }

    /** {@link #fold} with {@code params} broadcast once for this call (destroyed afterwards). */
    public static <T, R> R fold(JavaSparkContext sc, JavaRDD<T> data, float[] params, ParamsValue<T, R> value,
                                BinaryOperator<R> merge) {
        Broadcast<float[]> p = sc.broadcast(params);
        try {
            return fold(data, it -> value.apply(p.value(), it), merge);
        } finally {
            p.destroy();
        }
    }

    /** Element-wise sums of fixed-length vectors, in partition order. */
    public static <T> double[] sums(JavaSparkContext sc, JavaRDD<T> data, float[] params,
                                    ParamsValue<T, double[]> value) {
        return fold(sc, data, params, value, PartitionOrderedSum::add);
    }

    /** {@code a += b} element-wise (both of one length); returns {@code a}. */
    public static double[] add(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("partition sums differ in length: " + a.length + " and " + b.length);
        }
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }
}
