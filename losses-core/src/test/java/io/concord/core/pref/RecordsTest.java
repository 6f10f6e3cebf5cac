package io.concord.core.pref;

import io.concord.core.lm.PromptCompletion;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The record types expand into the groups the objectives expect. */
class RecordsTest {

    @Test
    void pairIsChosenThenRejected() {
        PreferencePair p = new PreferencePair(new int[] {3}, new int[] {4}, new int[] {5});
        assertThat(p.size()).isEqualTo(2);
        assertThat(p.sequence(0)).isEqualTo(new PromptCompletion(new int[] {3}, new int[] {4}));
        assertThat(p.sequence(1)).isEqualTo(new PromptCompletion(new int[] {3}, new int[] {5}));
        assertThat(p.score(0)).isGreaterThan(p.score(1));
        assertThat(p).isEqualTo(new PreferencePair(new int[] {3}, new int[] {4}, new int[] {5}));
    }

    @Test
    void unlearningIsForgetThenRetain() {
        PromptCompletion f = new PromptCompletion(new int[] {3}, new int[] {4});
        PromptCompletion r = new PromptCompletion(new int[] {5}, new int[] {6});
        assertThat(new UnlearningExample(f, r).size()).isEqualTo(2);
        assertThat(new UnlearningExample(f, r).sequence(1)).isSameAs(r);
        assertThat(new UnlearningExample(f, null).size()).isEqualTo(1);
    }

    @Test
    void rankedDistinctAndPairs() {
        RankedResponses g = RankedResponses.distinct(new int[] {3},
                new int[][] {{4}, {5}, {4}, {6}}, new double[] {1, 0, 0, 1});
        assertThat(g.size()).isEqualTo(3);
        assertThat(g.scores()).containsExactly(1, 0, 1);
        List<PreferencePair> pairs = g.pairs();
        assertThat(pairs).containsExactly(
                new PreferencePair(new int[] {3}, new int[] {4}, new int[] {5}),
                new PreferencePair(new int[] {3}, new int[] {6}, new int[] {5}));
        assertThatThrownBy(() -> new RankedResponses(new int[0], new int[][] {{1}}, new double[] {1, 2}))
                .hasMessageContaining("1 responses but 2 scores");
    }
}
