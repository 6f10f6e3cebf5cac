package io.concord.core.pref;

import io.concord.core.lm.PromptCompletion;
import java.util.Arrays;
import java.util.Objects;

/** A tokenised preference pair: one prompt, a chosen and a rejected completion (group {@code [chosen, rejected]}). */
public final class PreferencePair implements SequenceGroup {

    private final int[] prompt;
    private final int[] chosen;
    private final int[] rejected;

    public PreferencePair(int[] prompt, int[] chosen, int[] rejected) {
        this.prompt = Objects.requireNonNull(prompt, "prompt");
        this.chosen = Objects.requireNonNull(chosen, "chosen");
        this.rejected = Objects.requireNonNull(rejected, "rejected");
    }

    public int[] prompt() {
        return prompt;
    }

    public int[] chosen() {
        return chosen;
    }

    public int[] rejected() {
        return rejected;
    }

    @Override
    public int size() {
        return 2;
    }

    @Override
    public PromptCompletion sequence(int i) {
        Objects.checkIndex(i, 2);
        return new PromptCompletion(prompt, i == 0 ? chosen : rejected);
    }

    @Override
    public double score(int i) {
        Objects.checkIndex(i, 2);
        return i == 0 ? 1.0 : 0.0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreferencePair other && Arrays.equals(prompt, other.prompt)
                && Arrays.equals(chosen, other.chosen) && Arrays.equals(rejected, other.rejected);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(prompt), Arrays.hashCode(chosen), Arrays.hashCode(rejected));
    }

    @Override
    public String toString() {
        return "PreferencePair{prompt=" + prompt.length + ", chosen=" + chosen.length + ", rejected=" + rejected.length
                + " tokens}";
    }
}
