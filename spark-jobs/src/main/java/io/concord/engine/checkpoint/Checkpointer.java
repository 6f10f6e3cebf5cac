package io.concord.engine.checkpoint;

import io.concord.engine.RoundSummary;
import io.concord.engine.TrainingState;

/** Decides after each round whether to persist the training state. */
@FunctionalInterface
public interface Checkpointer {

    void roundCompleted(TrainingState state, RoundSummary summary, boolean lastRound);

    /**
     * Whether {@link #roundCompleted} reads the state's vectors after {@code completedRounds} rounds. With the
     * allreduce transport the state stays on the executors unless something reads it; the default (always) is safe.
     */
    default boolean saves(int completedRounds, boolean lastRound) {
        return true;
    }

    /**
     * The store whose checkpoints the owners of an allreduce stage may write as slices, or null (the driver then
     * pulls the state before {@link #roundCompleted} saves it). The engine reports the written slices to the store
     * ({@link CheckpointStore#slicesWritten}) and then calls {@link #roundCompleted}, which must reach the store's
     * own {@code roundCompleted}: that commits them.
     */
    default CheckpointStore sliceStore() {
        return null;
    }
}
