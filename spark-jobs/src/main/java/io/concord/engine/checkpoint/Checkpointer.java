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
}
