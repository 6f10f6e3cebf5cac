package io.concord.core.pref;

import io.concord.core.lm.PromptCompletion;
/**
 * A training record that expands into a group of (prompt, completion) sequences scored together by a
 * {@link SequenceObjective}: a pair, a ranked list, an unlearning example. A group is one record, so a partitioner can
 * never split it.
 */
public interface SequenceGroup {

    /** Number of sequences in the group. */
    int size();

    /** Sequence {@code i}, in the order the objectives expect (pairs: chosen then rejected). */
    PromptCompletion sequence(int i);

    /** Label of sequence {@code i} (1 chosen / 0 rejected, correctness, or a ranking score; higher is better). */
    double score(int i);
}
