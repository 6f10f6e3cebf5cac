package io.concord.engine;

/**
 * Driver-side hook after each round's update: evaluation, early stopping, extra metrics. A listener may put metrics
 * into {@link RoundSummary#metrics()} and keep state that must survive a resume in
 * {@link TrainingState#bookkeeping()}.
 */
@FunctionalInterface
public interface RoundListener {

    RoundListener NONE = (state, summary) -> Decision.CONTINUE;

    Decision afterRound(TrainingState state, RoundSummary summary);

    /** Whether training goes on. */
    enum Decision { CONTINUE, STOP }
}
