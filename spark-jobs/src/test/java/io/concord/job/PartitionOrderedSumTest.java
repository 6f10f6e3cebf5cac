package io.concord.job;

import io.concord.job.ConcordSpark;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionOrderedSumTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(ConcordSpark.conf("local[4]", "concord-test", Map.of("spark.ui.enabled", "false")));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /**
     * Values whose double sum depends on the order of addition, in partitions that finish in reverse order (the
     * first partition sleeps longest): the result must be the left fold in partition order, every time.
     */
    @Test
    void foldsInPartitionOrderWhateverOrderTasksFinishIn() {
        int partitions = 8;
        java.util.Random random = new java.util.Random(7);
        List<Double> values = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            values.add((random.nextDouble() * 2 - 1) * Math.pow(10, random.nextInt(7)));
        }
        JavaRDD<Double> data = sc.parallelize(values, partitions);
        double expected = values.get(0);
        double reversed = values.get(partitions - 1);
        for (int p = 1; p < partitions; p++) {
            expected += values.get(p);
            reversed += values.get(partitions - 1 - p);
        }
        assertThat(reversed).as("the data must be order-sensitive for this test to mean anything")
                .isNotEqualTo(expected);
        for (int run = 0; run < 3; run++) {
            double[] sum = PartitionOrderedSum.sums(sc, data, new float[] {2f}, (params, it) -> {
                Thread.sleep(40L * (partitions - TaskContext.getPartitionId()));
                double s = 0;
                boolean first = true;
                while (it.hasNext()) {
                    double v = it.next() * params[0] / 2;
                    s = first ? v : s + v;
                    first = false;
                }
                return new double[] {s, 1};
            });
            assertThat(sum[0]).isEqualTo(expected);
            assertThat(sum[1]).isEqualTo(partitions);
        }
    }

    @Test
    void emptyPartitionsContributeTheirValueToo() {
        JavaRDD<Integer> data = sc.parallelize(List.of(1, 2, 3), 6);
        int[] counts = PartitionOrderedSum.fold(data, it -> {
            int n = 0;
            while (it.hasNext()) {
                n += it.next();
            }
            return new int[] {n, 1};
        }, (a, b) -> new int[] {a[0] + b[0], a[1] + b[1]});
        assertThat(counts).containsExactly(6, 6);
    }

    @Test
    void addRefusesVectorsOfDifferentLengths() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PartitionOrderedSum.add(new double[2],
                new double[3])).hasMessageContaining("differ in length: 2 and 3");
        assertThat(PartitionOrderedSum.add(new double[] {1, 2}, new double[] {3, 4})).containsExactly(4, 6);
    }
}
