package io.concord.engine;

import java.util.List;

/**
 * Driver-side hook after each round's update: evaluation, early stopping, extra metrics. A listener may put metrics
 * into {@link RoundSummary#metrics()} and keep state that must survive a resume in
 * {@link TrainingState#bookkeeping()}.
 */
@FunctionalInterface
public interface RoundListener {


    Decision afterRound(TrainingState state, RoundSummary summary);

    /**
     * Called once before the first round of a resumed run, with the restored state and the logged rounds before it
     * (listeners that keep in-memory results, e.g. the best evaluation, restore them from here).
     */
    default void resumed(TrainingState state, List<RoundSummary> history) {
    }

    /**
     * Whether {@link #afterRound} reads the parameters or optimizer state after {@code completedRounds} rounds (or
     * may stop there). With multi-round barrier stages ({@code train.roundsPerStage}) a stage ends at such a round;
     * after the other rounds of a stage the state's vectors are those of the stage's start. The default (always)
     * is safe and makes every stage one round long.
     */
    default boolean needsStateAfter(int completedRounds) {
        return true;
    }

    /** Does nothing and never reads the state: allreduce stages may be as long as the config allows. */
    RoundListener NONE = new RoundListener() {
        @Override
        public Decision afterRound(TrainingState state, RoundSummary summary) {
            return Decision.CONTINUE;
        }

        @Override
        public boolean needsStateAfter(int completedRounds) {
            return false;
        }
    };

    /** {@link #NONE}, by the name that says why stages may be long. */
    RoundListener IGNORES_STATE = NONE;

    /**
     * Runs {@code first}, then {@code deciding}, whose decision counts; the pair reads the state when either does.
     */
    static RoundListener sequence(RoundListener first, RoundListener deciding) {
        return new RoundListener() {
            @Override
            public Decision afterRound(TrainingState state, RoundSummary summary) {
                first.afterRound(state, summary);
                return deciding.afterRound(state, summary);
            }

            @Override
            public boolean needsStateAfter(int completedRounds) {
                return first.needsStateAfter(completedRounds) || deciding.needsStateAfter(completedRounds);
            }

            @Override
            public void resumed(TrainingState state, List<RoundSummary> history) {
                first.resumed(state, history);
                deciding.resumed(state, history);
            }
        };
    }

    /** Whether training goes on. */
    enum Decision { CONTINUE, STOP }
}
