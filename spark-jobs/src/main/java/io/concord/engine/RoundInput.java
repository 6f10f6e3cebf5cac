package io.concord.engine;

/**
 * The broadcast value of one round: parameters, the optimizer state when the sync mode ships it, and the statistics
 * snapshot (stale-by-one-round values). Executors must treat it as read-only.
 */
public final class RoundInput {

    private int round;
    private float[] params;
    private float[] optimizerState;
    private Object[] staleStatistics;

    RoundInput() {
    }

    public RoundInput(int round, float[] params, float[] optimizerState, Object[] staleStatistics) {
        this.round = round;
        this.params = params;
        this.optimizerState = optimizerState;
        this.staleStatistics = staleStatistics;
    }

    public int round() {
        return round;
    }

    public float[] params() {
        return params;
    }

    public float[] optimizerState() {
        return optimizerState;
    }

    public Object[] staleStatistics() {
        return staleStatistics;
    }
}
