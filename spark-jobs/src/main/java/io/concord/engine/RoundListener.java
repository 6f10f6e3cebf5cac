package io.concord.engine;

import java.util.List;

/**
 * Driver-side hook after each round's update: evaluation, early stopping, extra metrics. A listener may put metrics
 * into {@link RoundSummary#metrics()} and keep state that must survive a resume in
 * {@link TrainingState#bookkeeping()}.
 */
@FunctionalInterface
public interface RoundListener {

    RoundListener NONE = (state, summary) -> Decision.CONTINUE;

    Decision afterRound(TrainingState state, RoundSummary summary);

    /**
     * Called once before the first round of a resumed run, with the restored state and the logged rounds before it
     * (listeners that keep in-memory results, e.g. the best evaluation, restore them from here).
     */
    default void resumed(TrainingState state, List<RoundSummary> history) {
    }

    /** Whether training goes on. */
    enum Decision { CONTINUE, STOP }
}
