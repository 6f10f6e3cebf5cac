package io.concord.engine.allreduce;

/**
 * The broadcast of one barrier stage (sent once per stage, fetched peer-to-peer by Spark's torrent broadcast): the
 * rounds to run, where the starting state is, the carried statistics and, at a checkpoint round, where the owners
 * write their slices. The starting state is either in the broadcast (the driver's vectors) or, when the previous
 * stage left it on the executors, in its {@link StateBlocks} after {@link #firstRound()} completed rounds.
 */
public final class StageInput {

    private int firstRound;
    private int rounds;
    private long nonce;
    private long stateNonce;
    private boolean resident;
    private int numParams;
    private int stateLength;
    private float[] params;
    private float[] optimizerState;
    private Object[] statistics;
    private String sliceDirectory;

    StageInput() {
    }

    private StageInput(int firstRound, int rounds, long nonce, long stateNonce, boolean resident,
                       int numParams, int stateLength, float[] params, float[] optimizerState, Object[] statistics,
                       String sliceDirectory) {
        this.firstRound = firstRound;
        this.rounds = rounds;
        this.nonce = nonce;
        this.stateNonce = stateNonce;
        this.resident = resident;
        this.numParams = numParams;
        this.stateLength = stateLength;
        this.params = params;
        this.optimizerState = optimizerState;
        this.statistics = statistics;
        this.sliceDirectory = sliceDirectory;
    }

    /** A stage starting from the driver's vectors. */
    public static StageInput fromDriver(int firstRound, int rounds, long nonce, StateBlocks stateBlocks,
                                        float[] params, float[] optimizerState, Object[] statistics,
                                        String sliceDirectory) {
        return new StageInput(firstRound, rounds, nonce, stateBlocks.nonce(), false, params.length, optimizerState.length,
                params, optimizerState, statistics, sliceDirectory);
    }

    /** A stage starting from the slices the previous stage kept on the executors (after {@code firstRound}). */
    public static StageInput fromExecutors(int firstRound, int rounds, long nonce, StateBlocks stateBlocks,
                                           int numParams, int stateLength, Object[] statistics,
                                           String sliceDirectory) {
        return new StageInput(firstRound, rounds, nonce, stateBlocks.nonce(), true, numParams, stateLength,
                null, null, statistics, sliceDirectory);
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

    public StateBlocks stateBlocks() {
        return new StateBlocks(stateNonce);
    }

    /** Whether the starting slices are read from the executors' block managers instead of this broadcast. */
    public boolean resident() {
        return resident;
    }

    public int numParams() {
        return numParams;
    }

    public int stateLength() {
        return stateLength;
    }

    /** The starting parameters, or null when {@link #resident()}. */
    public float[] params() {
        return params;
    }

    public float[] optimizerState() {
        return optimizerState;
    }

    public Object[] statistics() {
        return statistics;
    }

    /** The temporary checkpoint directory the owners write their slices into at the stage's end, or null. */
    public String sliceDirectory() {
        return sliceDirectory;
    }
}
