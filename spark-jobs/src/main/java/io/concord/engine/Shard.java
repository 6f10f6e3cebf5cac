package io.concord.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * All training records of one partition, in a deterministic order. The engine keeps exactly one shard per RDD
 * partition, cached serialized, so a round reads its minibatches by index without re-running the input lineage.
 */
public final class Shard<R> {

    private final int partition;
    private final ArrayList<R> records;

    public Shard(int partition, ArrayList<R> records) {
        this.partition = partition;
        this.records = records;
    }

    public int partition() {
        return partition;
    }

    public List<R> records() {
        return records;
    }

    public int size() {
        return records.size();
    }
}
