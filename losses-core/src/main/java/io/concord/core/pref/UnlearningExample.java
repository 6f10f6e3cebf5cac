package io.concord.core.pref;

import io.concord.core.lm.PromptCompletion;
import java.util.Objects;

/**
 * One forget sample, optionally zipped with one retain sample (group {@code [forget]} or {@code [forget, retain]}), as
 * the NPO reference's dataset pairs each forget item with a random retain item.
 */
public final class UnlearningExample implements SequenceGroup {

    private final PromptCompletion forget;
    private final PromptCompletion retain;

    /** @param retain may be null when the objective has no retain term */
    public UnlearningExample(PromptCompletion forget, PromptCompletion retain) {
        this.forget = Objects.requireNonNull(forget, "forget");
        this.retain = retain;
    }

    public PromptCompletion forget() {
        return forget;
    }

    public PromptCompletion retain() {
        return retain;
    }

    @Override
    public int size() {
        return retain == null ? 1 : 2;
    }

    @Override
    public PromptCompletion sequence(int i) {
        Objects.checkIndex(i, size());
        return i == 0 ? forget : retain;
    }

    @Override
    public double score(int i) {
        Objects.checkIndex(i, size());
        return i == 0 ? 0.0 : 1.0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnlearningExample other && forget.equals(other.forget)
                && Objects.equals(retain, other.retain);
    }

    @Override
    public int hashCode() {
        return 31 * forget.hashCode() + Objects.hashCode(retain);
    }

    @Override
    public String toString() {
        return "UnlearningExample{forget=" + forget + ", retain=" + retain + '}';
    }
}
