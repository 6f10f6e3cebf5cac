package io.concord.core.pref;

import java.util.Arrays;

/**
 * Per-sequence log-probabilities of a batch of groups, the input of every {@link SequenceObjective}.
 *
 * <p>A group is the unit a record expands into: a preference pair is {@code [chosen, rejected]}, an unlearning record
 * is {@code [forget]} or {@code [forget, retain]}, a ranked list is its responses in any order with their scores. For
 * sequence {@code i}: {@code policy[i] = lp(y_i)}, the completion log-probability SUMMED over completion tokens with the
 * prompt masked; {@code tokens[i] = |y_i|}, the number of completion tokens (so the token average is
 * {@code policy[i] / tokens[i]}); {@code frozen[k][i]} the same sum under frozen model {@code k} (0 = reference,
 * 1 = previous iterate for INPO), computed without gradient; {@code scores[i]} a label (1 chosen / 0 rejected,
 * answer correctness, or a ranking score where higher is better).
 */
public final class LogProbBatch {

    private final int[] offsets;
    private final double[] policy;
    private final int[] tokens;
    private final double[][] frozen;
    private final double[] scores;

    /**
     * @param offsets group {@code g} holds sequences {@code offsets[g] .. offsets[g+1]-1}; {@code offsets[0] = 0},
     *                non-decreasing, last entry = number of sequences
     */
    public LogProbBatch(int[] offsets, double[] policy, int[] tokens, double[][] frozen, double[] scores) {
        int n = policy.length;
        if (offsets.length < 1 || offsets[0] != 0 || offsets[offsets.length - 1] != n) {
            throw new IllegalArgumentException("group offsets must start at 0 and end at the sequence count " + n
                    + ", got " + Arrays.toString(offsets));
        }
        for (int g = 1; g < offsets.length; g++) {
            if (offsets[g] < offsets[g - 1]) {
                throw new IllegalArgumentException("group offsets must be non-decreasing: " + Arrays.toString(offsets));
            }
        }
        if (tokens.length != n || scores.length != n) {
            throw new IllegalArgumentException("tokens and scores need one entry per sequence (" + n + "), got "
                    + tokens.length + " and " + scores.length);
        }
        for (int i = 0; i < n; i++) {
            if (tokens[i] <= 0) {
                throw new IllegalArgumentException("sequence " + i + " has " + tokens[i]
                        + " completion tokens; every completion needs at least one");
            }
        }
        for (double[] f : frozen) {
            if (f.length != n) {
                throw new IllegalArgumentException("frozen log-probabilities need one entry per sequence (" + n
                        + "), got " + f.length);
            }
        }
        this.offsets = offsets;
        this.policy = policy;
        this.tokens = tokens;
        this.frozen = frozen;
        this.scores = scores;
    }

    /** A batch of pairs {@code [chosen, rejected]} with reference log-probabilities (arrays indexed by pair). */
    public static LogProbBatch pairs(double[] lpChosen, double[] lpRejected, int[] lenChosen, int[] lenRejected,
                                     double[]... frozenChosenRejected) {
        int p = lpChosen.length;
        if (frozenChosenRejected.length % 2 != 0) {
            throw new IllegalArgumentException("frozen log-probabilities come in (chosen, rejected) array pairs");
        }
        int[] offsets = new int[p + 1];
        double[] policy = new double[2 * p];
        int[] tokens = new int[2 * p];
        double[] scores = new double[2 * p];
        double[][] frozen = new double[frozenChosenRejected.length / 2][2 * p];
        for (int i = 0; i < p; i++) {
            offsets[i + 1] = 2 * (i + 1);
            policy[2 * i] = lpChosen[i];
            policy[2 * i + 1] = lpRejected[i];
            tokens[2 * i] = lenChosen[i];
            tokens[2 * i + 1] = lenRejected[i];
            scores[2 * i] = 1.0;
            for (int k = 0; k < frozen.length; k++) {
                frozen[k][2 * i] = frozenChosenRejected[2 * k][i];
                frozen[k][2 * i + 1] = frozenChosenRejected[2 * k + 1][i];
            }
        }
        return new LogProbBatch(offsets, policy, tokens, frozen, scores);
    }

    /** The same batch with other policy log-probabilities (used by finite-difference checks and line searches). */
    public LogProbBatch withPolicy(double[] newPolicy) {
        return new LogProbBatch(offsets, newPolicy, tokens, frozen, scores);
    }

    /** Group layout: group {@code g} holds sequences {@code offsets[g] .. offsets[g+1]-1} (a copy). */
    public int[] groupOffsets() {
        return offsets.clone();
    }

    public int groups() {
        return offsets.length - 1;
    }

    public int size() {
        return policy.length;
    }

    public int groupStart(int g) {
        return offsets[g];
    }

    public int groupSize(int g) {
        return offsets[g + 1] - offsets[g];
    }

    public double policy(int i) {
        return policy[i];
    }

    /** Token-averaged policy log-probability {@code lp(y_i) / |y_i|}. */
    public double policyMean(int i) {
        return policy[i] / tokens[i];
    }

    public int tokens(int i) {
        return tokens[i];
    }

    public int frozenModels() {
        return frozen.length;
    }

    /** Summed log-probability of sequence {@code i} under frozen model {@code k}. */
    public double frozen(int k, int i) {
        return frozen[k][i];
    }

    public double score(int i) {
        return scores[i];
    }

    /** A copy of the policy log-probabilities. */
    public double[] policyCopy() {
        return policy.clone();
    }
}
