package io.concord.engine.checkpoint;

import io.concord.engine.RoundSummary;
import io.concord.engine.TrainingState;

/** Decides after each round whether to persist the training state. */
@FunctionalInterface
public interface Checkpointer {

    void roundCompleted(TrainingState state, RoundSummary summary, boolean lastRound);
}
