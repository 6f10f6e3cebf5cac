package io.concord.engine;

import io.concord.core.util.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.io.Serializable;

/**
 * Which records of a shard form the minibatch of a given step: positions {@code [step·b, (step+1)·b)} of the endless
 * sequence of per-epoch permutations of the shard. A pure function of (seed, partition, step), so retried tasks,
 * speculative attempts and resumed runs read exactly the same batch.
 *
 * @param seed      run seed
 * @param batchSize records per partition per step; 0 means the whole shard (full batch)
 * @param shuffle   whether each epoch visits the shard in a fresh seeded permutation (otherwise in shard order)
 */
public record BatchPlan(long seed, int batchSize, boolean shuffle) implements Serializable {

    public BatchPlan {
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize must be >= 0, got " + batchSize);
        }
    }

    public <R> List<R> batch(Shard<R> shard, long step) {
        List<R> records = shard.records();
        int n = records.size();
        if (n == 0) {
            return List.of();
        }
        if (batchSize == 0) {
            return records;
        }
        List<R> out = new ArrayList<>(batchSize);
        long start = step * (long) batchSize;
        long epoch = -1;
        int[] order = null;
        for (int k = 0; k < batchSize; k++) {
            long position = start + k;
            long e = position / n;
            if (e != epoch) {
                epoch = e;
                order = shuffle ? EpochOrders.of(seed, shard.partition(), e, n) : null;
            }
            int within = (int) (position % n);
            out.add(records.get(order == null ? within : order[within]));
        }
        return out;
    }

    /**
     * The last epoch permutation each thread computed: a batch call used to permute the whole shard (O(shard) per
     * step, ~2.5 ms per step on a Gowalla half); a task's steps stay in one epoch for many calls. Read-only arrays.
     */
    private static final class EpochOrders {
        private static final ThreadLocal<EpochOrders> LAST = new ThreadLocal<>();

        private final long seed;
        private final int partition;
        private final long epoch;
        private final int[] order;

        private EpochOrders(long seed, int partition, long epoch, int[] order) {
            this.seed = seed;
            this.partition = partition;
            this.epoch = epoch;
            this.order = order;
        }

        static int[] of(long seed, int partition, long epoch, int n) {
            EpochOrders last = LAST.get();
            if (last != null && last.seed == seed && last.partition == partition && last.epoch == epoch
                    && last.order.length == n) {
                return last.order;
            }
            int[] order = Seeds.permutation(n, Seeds.stream(seed, 0xBA7C4L, partition, epoch));
            LAST.set(new EpochOrders(seed, partition, epoch, order));
            return order;
        }
    }
}
