package io.concord.core.lm;

import io.concord.core.pref.SequenceGroup;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tokenised prompt and completion (ids of a {@link CharVocabulary} or any vocabulary of the model's size). The
 * model prepends BOS and appends EOS itself; the prompt may be empty. As a {@link SequenceGroup} it is a group of one
 * (the SFT record).
 */
public final class PromptCompletion implements SequenceGroup {

    private final int[] prompt;
    private final int[] completion;

    public PromptCompletion(int[] prompt, int[] completion) {
        this.prompt = Objects.requireNonNull(prompt, "prompt");
        this.completion = Objects.requireNonNull(completion, "completion");
    }

    public int[] prompt() {
        return prompt;
    }

    public int[] completion() {
        return completion;
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public PromptCompletion sequence(int i) {
        Objects.checkIndex(i, 1);
        return this;
    }

    @Override
    public double score(int i) {
        Objects.checkIndex(i, 1);
        return 1.0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptCompletion other && Arrays.equals(prompt, other.prompt)
                && Arrays.equals(completion, other.completion);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(prompt) + Arrays.hashCode(completion);
    }

    @Override
    public String toString() {
        return "PromptCompletion{prompt=" + prompt.length + " tokens, completion=" + completion.length + " tokens}";
    }
}
