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

    /**
     * Whether {@link #afterRound} reads the parameters or optimizer state after {@code completedRounds} rounds (or
     * may stop there). With multi-round barrier stages ({@code train.roundsPerStage}) a stage ends at such a round;
     * after the other rounds of a stage the state's vectors are those of the stage's start. The default (always)
     * is safe and makes every stage one round long.
     */
    default boolean needsStateAfter(int completedRounds) {
        return true;
    }

    /** {@link #NONE}-like listener that never reads the state: stages may be as long as the config allows. */
    RoundListener IGNORES_STATE = new RoundListener() {
        @Override
        public Decision afterRound(TrainingState state, RoundSummary summary) {
            return Decision.CONTINUE;
        }

        @Override
        public boolean needsStateAfter(int completedRounds) {
            return false;
        }
    };

    /** Whether training goes on. */
    enum Decision { CONTINUE, STOP }
}
