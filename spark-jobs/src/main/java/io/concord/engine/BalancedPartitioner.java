package io.concord.engine;

import io.concord.core.util.Seeds;
import org.apache.spark.Partitioner;

/**
 * Assigns the record with global index {@code i} to a partition so that every block of {@code n} consecutive indices
 * covers all {@code n} partitions exactly once (a seeded rotation per block): shard sizes differ by at most one, and
 * the assignment is a pure function of (seed, index).
 */
public final class BalancedPartitioner extends Partitioner {

    private static final long serialVersionUID = 1L;

    private final int partitions;
    private final long seed;

    public BalancedPartitioner(int partitions, long seed) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions must be > 0, got " + partitions);
        }
        this.partitions = partitions;
        this.seed = seed;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        long index = (Long) key;
        long block = index / partitions;
        long rotation = Math.floorMod(Seeds.mix(seed, 0x5A4DL, block), (long) partitions);
        return (int) Math.floorMod(index + rotation, (long) partitions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BalancedPartitioner other && other.partitions == partitions && other.seed == seed;
    }

    @Override
    public int hashCode() {
        return 31 * partitions + Long.hashCode(seed);
    }
}
