package io.concord.engine.allreduce;

/**
 * The broadcast of one barrier stage (sent once per stage, fetched peer-to-peer by Spark's torrent broadcast):
 * parameters, optimizer state and carried statistics at the stage's first round.
 */
public final class StageInput {

    private int firstRound;
    private int rounds;
    private long nonce;
    private float[] params;
    private float[] optimizerState;
    private Object[] statistics;

    StageInput() {
    }

    public StageInput(int firstRound, int rounds, long nonce, float[] params, float[] optimizerState,
                      Object[] statistics) {
        this.firstRound = firstRound;
        this.rounds = rounds;
        this.nonce = nonce;
        this.params = params;
        this.optimizerState = optimizerState;
        this.statistics = statistics;
    }

    public int firstRound() {
        return firstRound;
    }

    public int rounds() {
        return rounds;
    }

    public long nonce() {
        return nonce;
    }

    public float[] params() {
        return params;
    }

    public float[] optimizerState() {
        return optimizerState;
    }

    public Object[] statistics() {
        return statistics;
    }
}
