package io.concord.workload.pref;

/**
 * The shape of a saved GRU language model ({@code model/lm.json} next to {@code params.bin}), so a job that starts
 * from a run rebuilds exactly that model.
 */
public record LmShape(int hidden, int layers, int vocabSize, int numParams) {
}
