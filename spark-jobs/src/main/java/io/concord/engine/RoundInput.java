package io.concord.engine;

/**
 * The broadcast value of one round: parameters, the optimizer state when the sync mode ships it, and the statistics
 * snapshot (stale-by-one-round values). Executors must treat it as read-only, unless it is {@link #owned}: a barrier
 * task's own replica, which the round overwrites anyway, so a strategy may work in it instead of on a copy.
 */
public final class RoundInput {

    private int round;
    private float[] params;
    private float[] optimizerState;
    private Object[] staleStatistics;
    private boolean owned;
    private float[] gradientBuffer;

    RoundInput() {
    }

    public RoundInput(int round, float[] params, float[] optimizerState, Object[] staleStatistics) {
        this.round = round;
        this.params = params;
        this.optimizerState = optimizerState;
        this.staleStatistics = staleStatistics;
    }

    /** The caller's own arrays, which the strategy may overwrite (the all-gather that follows replaces them). */
    public static RoundInput owned(int round, float[] params, float[] optimizerState, Object[] staleStatistics) {
        RoundInput input = new RoundInput(round, params, optimizerState, staleStatistics);
        input.owned = true;
        return input;
    }

    /**
     * A vector the strategy may zero and use for this round's gradient instead of allocating one (a barrier task's
     * previous gradient, no longer read by anyone); null: none.
     */
    public RoundInput withGradientBuffer(float[] buffer) {
        this.gradientBuffer = buffer;
        return this;
    }

    /** The buffer of {@link #withGradientBuffer}, or null. */
    public float[] gradientBuffer() {
        return gradientBuffer;
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

    /** Whether {@link #params()} and {@link #optimizerState()} may be overwritten by the round. */
    public boolean owned() {
        return owned;
    }
}
