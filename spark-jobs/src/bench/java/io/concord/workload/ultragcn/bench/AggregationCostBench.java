package io.concord.workload.ultragcn.bench;

import io.concord.engine.RoundRecord;
import io.concord.engine.StatisticSet;
import io.concord.job.ConcordSpark;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What one round's reduce costs with the engine's dense {@link RoundRecord} versus a "touched rows" record that
 * carries only the embedding rows a partition's minibatch touched, for Gowalla's shape (29,858 users + 40,981 items,
 * dim 64, two partitions). Per round and partition it times what the aggregation does: Kryo-serialise the task
 * result, deserialise it on the driver, and add it into the round's sum (dense: element-wise; sparse: scatter-add of
 * rows into the dense accumulator the optimizer step needs anyway, plus the encoding pass on the executor).
 *
 * <p>In global-batch mode a partition's gradient (the L2 term is added on the driver) is non-zero only in the rows
 * of its batch's users, positives, item–item neighbours and negatives; with 1500 negatives per positive virtually
 * every item row is touched, so only the user table is sparse. In parameter-averaging mode every row changes at every
 * local step (dense L2 gradient and Adam's moment updates), so the record is dense whatever the batch.
 *
 * <pre>scripts/bench-ultragcn aggregation</pre>
 */
public final class AggregationCostBench {

    static final int USERS = 29_858;
    static final int ITEMS = 40_981;
    static final int DIM = 64;
    static final int PARTITIONS = 2;

    private AggregationCostBench() {
    }

    public static void main(String[] args) {
        SparkConf conf = ConcordSpark.conf("local[1]", "aggregation-bench", Map.of());
        SerializerInstance kryo = new KryoSerializer(conf).newInstance();
        int n = (USERS + ITEMS) * DIM;
        System.out.printf("Gowalla shape: %d users + %d items, dim %d: %d floats (%.1f MB) per dense vector;"
                + " %d partitions; thread CPU time, median of 25 rounds after 5 warm-up rounds, dense and"
                + " touched-rows rounds interleaved; load average %.1f%n", USERS, ITEMS,
                DIM, n, n * 4 / 1e6, PARTITIONS, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        System.out.println();
        System.out.println("| batch/partition | negatives | touched user rows | touched item rows | dense CPU ms/round"
                + " | touched-rows CPU ms/round | bytes per partition dense → touched | wire time at 10 Gbit/s,"
                + " dense → touched |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int batch : new int[] {256, 1024, 4096}) {
            for (int r : new int[] {50, 300, 1500}) {
                row(kryo, batch, r);
            }
        }
        System.out.println();
        double[] paT = new double[15];
        for (int round = 0; round < paT.length; round++) {
            paT[round] = denseMs(kryo, 3 * n, 1);
        }
        double pa = median(paT);
        System.out.printf("parameter averaging: parameters + Adam state (3 dense vectors) per partition and round:"
                + " %.1f ms per round, i.e. %.2f ms per local step at localSteps 10, %.2f at 50, %.2f at 200%n",
                pa, pa / 10, pa / 50, pa / 200);
    }

    private static void row(SerializerInstance kryo, int batch, int r) {
        SplittableRandom random = new SplittableRandom(batch * 31L + r);
        BitSet users = new BitSet(USERS);
        BitSet items = new BitSet(ITEMS);
        for (int b = 0; b < batch; b++) {
            users.set(random.nextInt(USERS));
            // positive, 10 item–item neighbours, r negatives
            for (int t = 0; t < 11 + r; t++) {
                items.set(random.nextInt(ITEMS));
            }
        }
        int[] rows = new int[users.cardinality() + items.cardinality()];
        int k = 0;
        for (int u = users.nextSetBit(0); u >= 0; u = users.nextSetBit(u + 1)) {
            rows[k++] = u;
        }
        for (int i = items.nextSetBit(0); i >= 0; i = items.nextSetBit(i + 1)) {
            rows[k++] = USERS + i;
        }
        int n = (USERS + ITEMS) * DIM;
        float[] grad = new float[n];
        for (int row : rows) {
            for (int d = 0; d < DIM; d++) {
                grad[row * DIM + d] = (float) random.nextGaussian();
            }
        }
        double[] denseT = new double[30];
        double[] sparseT = new double[30];
        for (int round = 0; round < 30; round++) {
            denseT[round] = denseMs(kryo, n, 1);
            sparseT[round] = sparseMs(kryo, grad, rows, 1);
        }
        double dense = median(denseT);
        double sparse = median(sparseT);
        long sparseBytes = (long) rows.length * (4 + 4L * DIM);
        double denseWire = PARTITIONS * n * 4 * 8 / 10e9 * 1e3;
        double sparseWire = PARTITIONS * sparseBytes * 8 / 10e9 * 1e3;
        System.out.printf("| %d | %d | %d (%.1f%%) | %d (%.1f%%) | %.1f | %.1f | %.1f MB → %.1f MB | %.0f ms → %.0f ms"
                + " |%n", batch, r, users.cardinality(), 100.0 * users.cardinality() / USERS, items.cardinality(),
                100.0 * items.cardinality() / ITEMS, dense, sparse, n * 4 / 1e6, sparseBytes / 1e6, denseWire,
                sparseWire);
    }

    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** Per round: every partition's record serialised and deserialised, then merged in order (CPU ms). */
    static double denseMs(SerializerInstance kryo, int length, int rounds) {
        float[][] parts = new float[PARTITIONS][length];
        for (float[] p : parts) {
            Arrays.fill(p, 0.5f);
        }
        double[] times = new double[rounds];
        StatisticSet none = StatisticSet.empty();
        for (int round = 0; round < times.length; round++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            RoundRecord merged = null;
            for (int p = 0; p < PARTITIONS; p++) {
                ByteBuffer bytes = kryo.serialize(new RoundRecord(parts[p], null, 1, 0, 1, null, 0),
                        ClassTag$.MODULE$.apply(RoundRecord.class));
                RoundRecord back = kryo.deserialize(bytes, ClassTag$.MODULE$.apply(RoundRecord.class));
                merged = merged == null ? back : merged.merge(back, none);
            }
            times[round] = (CPU.getCurrentThreadCpuTime() - t0) / 1e6;
        }
        return times[0];
    }

    /**
     * Per round: each partition gathers its touched rows (row ids + values) from its gradient, the pair is
     * serialised and deserialised, and the driver scatter-adds every partition's rows into a zeroed dense sum.
     */
    static double sparseMs(SerializerInstance kryo, float[] grad, int[] rows, int rounds) {
        double[] times = new double[rounds];
        float[] sum = new float[grad.length];
        for (int round = 0; round < times.length; round++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            Arrays.fill(sum, 0f);
            for (int p = 0; p < PARTITIONS; p++) {
                float[] values = new float[rows.length * DIM];
                for (int k = 0; k < rows.length; k++) {
                    System.arraycopy(grad, rows[k] * DIM, values, k * DIM, DIM);
                }
                Object[] record = {rows, values};
                ByteBuffer bytes = kryo.serialize(record, ClassTag$.MODULE$.apply(Object[].class));
                Object[] back = kryo.deserialize(bytes, ClassTag$.MODULE$.apply(Object[].class));
                int[] ids = (int[]) back[0];
                float[] v = (float[]) back[1];
                for (int k = 0; k < ids.length; k++) {
                    int base = ids[k] * DIM;
                    for (int d = 0; d < DIM; d++) {
                        sum[base + d] += v[k * DIM + d];
                    }
                }
            }
            times[round] = (CPU.getCurrentThreadCpuTime() - t0) / 1e6;
        }
        return times[0];
    }

    private static double median(double[] t) {
        double[] s = Arrays.copyOfRange(t, 5, t.length);
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
