package io.concord.engine;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.TaskContext;
import scala.Function2;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.stream.IntStream;
import java.util.Collections;

/**
 * Reduces one value per partition in PARTITION order, whatever order tasks finish in. Spark's {@code reduce} and
 * {@code treeReduce} merge in completion order, which makes float sums (and so trained parameters) differ from run
 * to run; a left fold in partition order makes them bit-reproducible.
 *
 * <p>Depth 1 folds on the driver as results arrive, buffering only results that arrive ahead of their turn. Depth
 * ≥ 2 first folds contiguous groups of partitions on executors (sorted by partition inside each group), then folds
 * the groups on the driver.
 */
final class OrderedReduce {

    private OrderedReduce() {
    }

    static <T> T reduce(JavaRDD<T> values, Merge<T> merge, int depth, Class<T> type) {
        JavaRDD<T> level = values;
        for (int d = depth; d > 1 && level.getNumPartitions() > 2; d--) {
            int n = level.getNumPartitions();
            int fanIn = Math.max(2, (int) Math.ceil(Math.pow(n, 1.0 / d)));
            level = foldGroups(level, merge, fanIn);
        }
        return foldOnDriver(level, merge, type);
    }

    private static <T> JavaRDD<T> foldGroups(JavaRDD<T> level, Merge<T> merge, int fanIn) {
        int groups = (level.getNumPartitions() + fanIn - 1) / fanIn;
        JavaPairRDD<Integer, Tuple2<Integer, T>> keyed = level.mapPartitionsWithIndex((p, it) -> {
            List<Tuple2<Integer, Tuple2<Integer, T>>> out = new ArrayList<>();
            while (it.hasNext()) {
                out.add(new Tuple2<>(p / fanIn, new Tuple2<>(p, it.next())));
            }
            return out.iterator();
        }, true).mapToPair(t -> t);
        // Integer keys hash to themselves, so group g lands in partition g: partition order stays group order.
        return keyed.partitionBy(new HashPartitioner(groups)).mapPartitions(it -> {
            List<Tuple2<Integer, T>> members = new ArrayList<>();
            it.forEachRemaining(t -> members.add(t._2()));
            members.sort((a, b) -> Integer.compare(a._1(), b._1()));
            if (members.isEmpty()) {
                return Collections.emptyIterator();
            }
            T acc = members.get(0)._2();
            for (int i = 1; i < members.size(); i++) {
                acc = merge.apply(acc, members.get(i)._2());
            }
            return List.of(acc).iterator();
        });
    }

    private static <T> T foldOnDriver(JavaRDD<T> level, BinaryOperator<T> merge, Class<T> type) {
        int n = level.getNumPartitions();
        InOrderFold<T> fold = new InOrderFold<>(n, merge);
        Function2<TaskContext, scala.collection.Iterator<T>, T> single =
                (Function2<TaskContext, scala.collection.Iterator<T>, T> & Serializable)
                        (task, it) -> onlyValue(JavaConverters.asJavaIterator(it));
        Function2<Object, T, BoxedUnit> handler = (index, value) -> {
            fold.accept((Integer) index, value);
            return BoxedUnit.UNIT;
        };
        ClassTag<T> tag = ClassTag$.MODULE$.apply(type);
        List<Object> partitions = new ArrayList<>();
        IntStream.range(0, n).forEach(partitions::add);
        level.context().runJob(level.rdd(), single,
                JavaConverters.asScalaBuffer(partitions).toSeq(), handler, tag);
        return fold.result();
    }

    private static <T> T onlyValue(Iterator<T> it) {
        if (!it.hasNext()) {
            return null;
        }
        T value = it.next();
        if (it.hasNext()) {
            throw new IllegalStateException("expected one value per partition");
        }
        return value;
    }

    /** An associative merge that can travel to executors. */
    @FunctionalInterface
    interface Merge<T> extends BinaryOperator<T>, Serializable {
    }

    /** Left fold of indexed values in index order, fed in any order. */
    private static final class InOrderFold<T> {
        private final Object[] pending;
        private final BinaryOperator<T> merge;
        private int next;
        private T acc;

        InOrderFold(int n, BinaryOperator<T> merge) {
            this.pending = new Object[n];
            this.merge = merge;
        }

        @SuppressWarnings("unchecked")
        synchronized void accept(int index, T value) {
            pending[index] = value == null ? NONE : value;
            while (next < pending.length && pending[next] != null) {
                Object v = pending[next];
                pending[next] = null;
                next++;
                if (v != NONE) {
                    acc = acc == null ? (T) v : merge.apply(acc, (T) v);
                }
            }
        }

        synchronized T result() {
            if (next != pending.length) {
                throw new IllegalStateException("only " + next + " of " + pending.length + " partitions arrived");
            }
            return acc;
        }

        private static final Object NONE = new Object();
    }
}
