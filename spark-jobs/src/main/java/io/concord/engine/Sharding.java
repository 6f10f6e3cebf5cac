package io.concord.engine;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Turns an RDD of records into balanced, deterministic shards: one {@link Shard} per partition, sizes within one of
 * each other, contents and order a pure function of (input order, seed). Shards are cached serialized by default
 * (ND4J memory is off-heap and invisible to Spark's size estimates, so deserialized caching misjudges memory).
 */
public final class Sharding {

    private Sharding() {
    }

    public static <R> JavaRDD<Shard<R>> shard(JavaRDD<R> records, int partitions, long seed, StorageLevel level) {
        JavaPairRDD<Long, R> indexed = records.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()));
        JavaPairRDD<Long, R> placed = indexed.repartitionAndSortWithinPartitions(
                new BalancedPartitioner(partitions, seed));
        JavaRDD<Shard<R>> shards = placed.mapPartitionsWithIndex(Sharding::toShard, true);
        shards.persist(level);
        return shards;
    }

    /** Shard sizes, in partition order; also materialises the cache. */
    public static <R> List<Integer> sizes(JavaRDD<Shard<R>> shards) {
        return shards.map(Shard::size).collect();
    }

    private static <R> Iterator<Shard<R>> toShard(Integer partition, Iterator<Tuple2<Long, R>> it) {
        ArrayList<R> records = new ArrayList<>();
        while (it.hasNext()) {
            records.add(it.next()._2());
        }
        records.trimToSize();
        return List.of(new Shard<>(partition, records)).iterator();
    }
}
