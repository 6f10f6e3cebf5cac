package io.concord.workload.pref;

import io.concord.job.PartitionOrderedSum;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates parameters on executors: each partition turns its records (as a list) into a fixed-length vector of sums,
 * added up in partition order by {@link PartitionOrderedSum}. Sums (not means) so that any partitioning gives the same
 * result.
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
        return PartitionOrderedSum.sums(sc, data, params, (p, it) -> {
            List<T> records = new ArrayList<>();
            it.forEachRemaining(records::add);
            return sums.apply(p, records);
        });
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
