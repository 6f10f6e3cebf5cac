package io.concord.engine.sync;

import io.concord.engine.EngineStepContext;
import io.concord.engine.RoundInput;
import io.concord.engine.RoundRecord;
import io.concord.engine.Shard;
import io.concord.engine.SyncMode;
import io.concord.engine.TrainingState;

import java.io.Serializable;

/**
 * How one round turns partitions' work into one update: what a partition computes from its shard (executor side)
 * and how the driver applies the merged round record.
 */
public interface SyncStrategy extends Serializable {

    static SyncStrategy of(SyncMode mode) {
        return switch (mode) {
            case GLOBAL_BATCH -> new GlobalBatchSync();
            case PARAMETER_AVERAGING -> new ParameterAveragingSync();
        };
    }

    SyncMode mode();

    /** Whether the round's broadcast carries the optimizer state. */
    boolean shipsOptimizerState(RoundWork<?> work);

    /** Executor side: this partition's contribution to the round. Must not modify {@code input}. */
    <R> RoundRecord computePartition(RoundWork<R> work, RoundInput input, Shard<R> shard, EngineStepContext ctx);

    /** Driver side: applies the merged record to {@code state}; returns the round's reported loss. */
    double apply(RoundWork<?> work, RoundRecord merged, TrainingState state, int round);
}
