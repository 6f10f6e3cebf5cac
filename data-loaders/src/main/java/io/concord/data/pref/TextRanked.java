package io.concord.data.pref;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** An untokenised ranked list: a prompt, k responses and one score per response (higher is better). */
public final class TextRanked implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String prompt;
    private final String[] responses;
    private final double[] scores;

    public TextRanked(String prompt, List<String> responses, double[] scores) {
        this.prompt = Objects.requireNonNull(prompt, "prompt");
        this.responses = responses.toArray(new String[0]);
        this.scores = scores.clone();
        if (this.responses.length != this.scores.length) {
            throw new IllegalArgumentException(this.responses.length + " responses but " + this.scores.length
                    + " scores");
        }
    }

    public String prompt() {
        return prompt;
    }

    public List<String> responses() {
        return List.of(responses);
    }

    public double[] scores() {
        return scores.clone();
    }

    public int size() {
        return responses.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextRanked other && prompt.equals(other.prompt)
                && Arrays.equals(responses, other.responses) && Arrays.equals(scores, other.scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prompt, Arrays.hashCode(responses), Arrays.hashCode(scores));
    }

    @Override
    public String toString() {
        return "TextRanked{responses=" + responses.length + ", scores=" + Arrays.toString(scores) + '}';
    }
}
