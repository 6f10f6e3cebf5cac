package io.concord.engine;

import io.concord.testing.LocalSpark;
import io.concord.core.stat.GlobalStatistic;
import io.concord.core.stat.LongVectorSum;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unit tests of the engine pieces that the end-to-end exactness tests only cover together. */
class EnginePiecesTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start(4, 1);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    // ---- OrderedReduce ------------------------------------------------------------------------------------------

    /** Order-sensitive doubles, one per partition; partition p finishes after partition p + 1. */
    private static JavaRDD<double[]> reversedCompletion(double[] values) {
        List<Integer> indices = new ArrayList<>();
        IntStream.range(0, values.length).forEach(indices::add);
        int n = values.length;
        return sc.parallelize(indices, n).map(i -> {
            Thread.sleep(25L * (n - TaskContext.getPartitionId()));
            return new double[] {values[i]};
        });
    }

    /** The first seeded draw, from {@code seed} on, whose forward and reversed left folds differ. */
    private static double[] orderSensitive(int n, long seed) {
        for (long s = seed; ; s++) {
            Random r = new Random(s);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = (r.nextDouble() * 2 - 1) * Math.pow(10, r.nextInt(8));
            }
            double forward = v[0];
            double reversed = v[n - 1];
            for (int i = 1; i < n; i++) {
                forward += v[i];
                reversed += v[n - 1 - i];
            }
            if (forward != reversed) {
                return v;
            }
        }
    }

    @Test
    void depthOneFoldsInPartitionOrderWhateverTheCompletionOrder() {
        double[] v = orderSensitive(9, 3);
        double expected = v[0];
        double reversed = v[v.length - 1];
        for (int i = 1; i < v.length; i++) {
            expected += v[i];
            reversed += v[v.length - 1 - i];
        }
        assertThat(reversed).isNotEqualTo(expected);
        for (int run = 0; run < 2; run++) {
            double[] sum = OrderedReduce.reduce(reversedCompletion(v), (a, b) -> new double[] {a[0] + b[0]}, 1,
                    double[].class);
            assertThat(sum[0]).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void deeperTreesFoldContiguousGroupsInPartitionOrder(int depth) {
        double[] v = orderSensitive(9, 5);
        int fanIn = Math.max(2, (int) Math.ceil(Math.pow(v.length, 1.0 / depth)));
        // the first level of the tree: contiguous groups of fanIn partitions, each folded left to right
        List<Double> level = new ArrayList<>();
        for (int g = 0; g * fanIn < v.length; g++) {
            double acc = v[g * fanIn];
            for (int i = g * fanIn + 1; i < Math.min(v.length, (g + 1) * fanIn); i++) {
                acc += v[i];
            }
            level.add(acc);
        }
        // deeper levels (while more than two partitions remain), then the driver's left fold
        for (int d = depth - 1; d > 1 && level.size() > 2; d--) {
            int f = Math.max(2, (int) Math.ceil(Math.pow(level.size(), 1.0 / d)));
            List<Double> next = new ArrayList<>();
            for (int g = 0; g * f < level.size(); g++) {
                double acc = level.get(g * f);
                for (int i = g * f + 1; i < Math.min(level.size(), (g + 1) * f); i++) {
                    acc += level.get(i);
                }
                next.add(acc);
            }
            level = next;
        }
        double expected = level.get(0);
        for (int i = 1; i < level.size(); i++) {
            expected += level.get(i);
        }
        double[] sum = OrderedReduce.reduce(reversedCompletion(v), (a, b) -> new double[] {a[0] + b[0]}, depth,
                double[].class);
        assertThat(sum[0]).isEqualTo(expected);
    }

    @Test
    void emptyPartitionsAreSkippedAndAllEmptyGivesNull() {
        JavaRDD<Integer> sparse = sc.parallelize(List.of(5, 7), 6);
        assertThat(OrderedReduce.reduce(sparse, Integer::sum, 1, Integer.class)).isEqualTo(12);
        assertThat(OrderedReduce.reduce(sparse, Integer::sum, 2, Integer.class)).isEqualTo(12);
        JavaRDD<Integer> empty = sc.parallelize(List.<Integer>of(), 3);
        assertThat(OrderedReduce.reduce(empty, Integer::sum, 1, Integer.class)).isNull();
    }

    // ---- RoundRecord.merge --------------------------------------------------------------------------------------

    @Test
    void roundRecordMergeAddsEverythingAndTreatsMissingVectorsAsIdentity() {
        LongVectorSum counts = new LongVectorSum("c", 2, GlobalStatistic.Freshness.REPORT_ONLY);
        StatisticSet set = new StatisticSet(List.of(counts));
        RoundRecord a = new RoundRecord(new float[] {1, 2}, null, 3, 0.5, 3, new Object[] {new long[] {1, 2}}, 10);
        RoundRecord b = new RoundRecord(new float[] {10, 20}, new float[] {7}, 2, 0.25, 2,
                new Object[] {new long[] {3, 4}}, 30);
        RoundRecord m = a.merge(b, set);
        assertThat(m).isSameAs(a);
        assertThat(m.vector()).containsExactly(11, 22);
        assertThat(m.state()).containsExactly(7);
        assertThat(m.weight()).isEqualTo(5);
        assertThat(m.lossSum()).isEqualTo(0.75);
        assertThat(m.examples()).isEqualTo(5);
        assertThat((long[]) m.statistics()[0]).containsExactly(4, 6);
        assertThat(m.computeNanosSum()).isEqualTo(40);
        assertThat(m.computeNanosMax()).isEqualTo(30);
        assertThat(m.partitions()).isEqualTo(2);

        RoundRecord emptyLeft = new RoundRecord(null, null, 0, 0, 0, null, 1);
        RoundRecord full = new RoundRecord(new float[] {1, 2}, new float[] {3}, 1, 1, 1,
                new Object[] {new long[] {1, 1}}, 2);
        RoundRecord left = emptyLeft.merge(full, set);
        assertThat(left.vector()).containsExactly(1, 2);
        assertThat(left.state()).containsExactly(3);
        assertThat((long[]) left.statistics()[0]).containsExactly(1, 1);
        RoundRecord right = new RoundRecord(new float[] {1, 2}, null, 1, 1, 1, null, 2)
                .merge(new RoundRecord(null, null, 0, 0, 0, null, 1), set);
        assertThat(right.vector()).containsExactly(1, 2);
        assertThat(right.statistics()).isNull();
    }

    @Test
    void roundRecordMergeRefusesVectorsOfDifferentLengths() {
        RoundRecord a = new RoundRecord(new float[2], null, 1, 0, 1, null, 0);
        RoundRecord b = new RoundRecord(new float[3], null, 1, 0, 1, null, 0);
        assertThatThrownBy(() -> a.merge(b, StatisticSet.empty())).hasMessageContaining("length 2 and 3");
    }

    // ---- BatchPlan ----------------------------------------------------------------------------------------------

    private static Shard<Integer> shard(int partition, int n) {
        ArrayList<Integer> records = new ArrayList<>();
        IntStream.range(0, n).forEach(records::add);
        return new Shard<>(partition, records);
    }

    @Test
    void batchesWalkEpochPermutationsAcrossEpochBoundaries() {
        Shard<Integer> s = shard(1, 10);
        BatchPlan plan = new BatchPlan(9L, 4, true);
        List<Integer> stream = new ArrayList<>();
        for (int step = 0; step < 5; step++) {
            List<Integer> batch = plan.batch(s, step);
            assertThat(batch).hasSize(4);
            stream.addAll(batch);
        }
        // 20 positions = exactly two epochs, each a permutation of the shard; step 2 straddles the boundary
        Set<Integer> epoch0 = new HashSet<>(stream.subList(0, 10));
        Set<Integer> epoch1 = new HashSet<>(stream.subList(10, 20));
        assertThat(epoch0).hasSize(10);
        assertThat(epoch1).hasSize(10);
        assertThat(stream.subList(0, 10)).isNotEqualTo(stream.subList(10, 20));
        assertThat(plan.batch(s, 2)).containsExactlyElementsOf(stream.subList(8, 12));
        // a pure function of (seed, partition, step)
        assertThat(new BatchPlan(9L, 4, true).batch(s, 3)).containsExactlyElementsOf(plan.batch(s, 3));
        assertThat(new BatchPlan(9L, 4, true).batch(shard(2, 10), 0)).isNotEqualTo(plan.batch(s, 0));
    }

    @Test
    void unshuffledBatchesWrapInShardOrderAndZeroMeansTheWholeShard() {
        Shard<Integer> s = shard(0, 5);
        BatchPlan plan = new BatchPlan(1L, 3, false);
        assertThat(plan.batch(s, 0)).containsExactly(0, 1, 2);
        assertThat(plan.batch(s, 1)).containsExactly(3, 4, 0);
        assertThat(plan.batch(s, 2)).containsExactly(1, 2, 3);
        assertThat(new BatchPlan(1L, 0, true).batch(s, 7)).containsExactly(0, 1, 2, 3, 4);
        assertThat(plan.batch(shard(0, 0), 4)).isEmpty();
        assertThatThrownBy(() -> new BatchPlan(1L, -1, false)).hasMessageContaining("batchSize must be >= 0");
    }
}
