package io.concord.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to continue training bit-identically: parameters, optimizer state, the next round, the last
 * merged statistics (stale-by-one-round values are inputs of the next round) and driver-side bookkeeping such as
 * early-stopping state. Random streams need no saved state: they are pure functions of (seed, step, partition).
 */
public final class TrainingState {

    private final float[] params;
    private float[] optimizerState;
    private int nextRound;
    private Object[] statistics;
    private final Map<String, Double> bookkeeping;

    public TrainingState(float[] params, float[] optimizerState, int nextRound, Object[] statistics,
                         Map<String, Double> bookkeeping) {
        this.params = params;
        this.optimizerState = optimizerState;
        this.nextRound = nextRound;
        this.statistics = statistics;
        this.bookkeeping = new LinkedHashMap<>(bookkeeping);
    }

    public float[] params() {
        return params;
    }

    public float[] optimizerState() {
        return optimizerState;
    }

    void setOptimizerState(float[] state) {
        this.optimizerState = state;
    }

    /** Zero-based index of the next round to run (= rounds completed). */
    public int nextRound() {
        return nextRound;
    }

    void advance() {
        nextRound++;
    }

    /** The last round's merged statistics, aligned with the job's {@link StatisticSet}; may be null. */
    public Object[] statistics() {
        return statistics;
    }

    void setStatistics(Object[] values) {
        this.statistics = values;
    }

    /** Driver-side numbers that must survive a resume (best metric so far, rounds without improvement, …). */
    public Map<String, Double> bookkeeping() {
        return bookkeeping;
    }
}
