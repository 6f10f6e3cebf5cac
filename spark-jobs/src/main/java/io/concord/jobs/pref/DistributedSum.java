package io.concord.jobs.pref;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates parameters on executors: the parameters are broadcast, each partition turns its records into a fixed-length
 * vector of sums, and the vectors are added up. Sums (not means) so that any partitioning gives the same result.
 */
final class DistributedSum {

    private DistributedSum() {
    }

    /** One partition's sums; must return a vector of the same length for every partition, empty ones included. */
    @FunctionalInterface
    interface PartitionSums<T> extends Serializable {
        double[] apply(float[] params, List<T> records);
    }

    static <T> double[] of(JavaSparkContext sc, JavaRDD<T> data, float[] params, PartitionSums<T> sums) {
        Broadcast<float[]> p = sc.broadcast(params);
        try {
            return data.mapPartitions(it -> {
                List<T> records = new ArrayList<>();
                it.forEachRemaining(records::add);
                return List.of(sums.apply(p.value(), records)).iterator();
            }).reduce(DistributedSum::add);
        } finally {
            p.destroy();
        }
    }

    static double[] add(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("partition sums differ in length: " + a.length + " and " + b.length);
        }
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    /** Consecutive chunks of at most {@code size} records (bounds the memory of one forward pass). */
    static <T> List<List<T>> chunks(List<T> records, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int from = 0; from < records.size(); from += size) {
            out.add(records.subList(from, Math.min(records.size(), from + size)));
        }
        return out;
    }
}
