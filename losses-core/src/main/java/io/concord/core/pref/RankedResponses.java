package io.concord.core.pref;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.concord.core.lm.PromptCompletion;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tokenised ranked list: one prompt, k responses and a score per response (higher is better; for the AFT binary
 * losses 1 = correct, 0 = incorrect).
 */
public final class RankedResponses implements SequenceGroup {

    private final int[] prompt;
    private final int[][] responses;
    private final double[] scores;

    public RankedResponses(int[] prompt, int[][] responses, double[] scores) {
        this.prompt = Objects.requireNonNull(prompt, "prompt");
        this.responses = Objects.requireNonNull(responses, "responses");
        this.scores = Objects.requireNonNull(scores, "scores");
        if (responses.length != scores.length) {
            throw new IllegalArgumentException("ranked list has " + responses.length + " responses but "
                    + scores.length + " scores");
        }
        for (double s : scores) {
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("ranked list score " + s + " is not finite");
            }
        }
    }

    /**
     * A ranked list without duplicate responses (the first occurrence and its score are kept), as AFT deduplicates the
     * k sampled chains of thought before grouping them.
     */
    public static RankedResponses distinct(int[] prompt, int[][] responses, double[] scores) {
        if (responses.length != scores.length) {
            throw new IllegalArgumentException("ranked list has " + responses.length + " responses but "
                    + scores.length + " scores");
        }
        Set<List<Integer>> seen = new HashSet<>();
        List<int[]> kept = new ArrayList<>();
        List<Double> keptScores = new ArrayList<>();
        for (int i = 0; i < responses.length; i++) {
            if (seen.add(Arrays.stream(responses[i]).boxed().toList())) {
                kept.add(responses[i]);
                keptScores.add(scores[i]);
            }
        }
        return new RankedResponses(prompt, kept.toArray(new int[0][]),
                keptScores.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Every preference pair (i, j) with {@code score_i > score_j}, in index order: DPO data from a ranked group. */
    public List<PreferencePair> pairs() {
        List<PreferencePair> out = new ArrayList<>();
        for (int i = 0; i < responses.length; i++) {
            for (int j = 0; j < responses.length; j++) {
                if (scores[i] > scores[j]) {
                    out.add(new PreferencePair(prompt, responses[i], responses[j]));
                }
            }
        }
        return out;
    }

    public int[] prompt() {
        return prompt;
    }

    public int[][] responses() {
        return responses;
    }

    public double[] scores() {
        return scores;
    }

    @Override
    public int size() {
        return responses.length;
    }

    @Override
    public PromptCompletion sequence(int i) {
        return new PromptCompletion(prompt, responses[i]);
    }

    @Override
    public double score(int i) {
        return scores[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RankedResponses other && Arrays.equals(prompt, other.prompt)
                && Arrays.deepEquals(responses, other.responses) && Arrays.equals(scores, other.scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(prompt), Arrays.deepHashCode(responses), Arrays.hashCode(scores));
    }

    @Override
    public String toString() {
        return "RankedResponses{prompt=" + prompt.length + " tokens, responses=" + responses.length + ", scores="
                + Arrays.toString(scores) + '}';
    }
}
