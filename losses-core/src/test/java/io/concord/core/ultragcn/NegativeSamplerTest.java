package io.concord.core.ultragcn;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NegativeSamplerTest {

    @Test
    void uniformDrawsFollowTheStreamPositiveByPositive() {
        NegativeSampler s = new NegativeSampler(8, null);
        int[] out = new int[3 * 4];
        s.draw(new int[]{4, 0, 4}, 3, 4, new SplittableRandom(5), out);
        SplittableRandom same = new SplittableRandom(5);
        for (int t = 0; t < out.length; t++) {
            assertThat(out[t]).isEqualTo(same.nextInt(8));
        }
    }

    @Test
    void siftedDrawsAreUniformOverTheItemsNotInTrain() {
        Adjacency train = TinyGraphs.graph().train();
        NegativeSampler s = new NegativeSampler(8, train);
        int draws = 80_000;
        int[] out = new int[draws];
        s.draw(new int[]{1}, 1, draws, new SplittableRandom(9), out);
        int[] counts = new int[8];
        for (int j : out) {
            counts[j]++;
        }
        // user 1 has train items 1..4: never drawn; 0, 5, 6, 7 each with probability 1/4
        for (int j = 1; j <= 4; j++) {
            assertThat(counts[j]).isZero();
        }
        double expected = draws / 4.0;
        double sd = Math.sqrt(draws * 0.25 * 0.75);
        for (int j : new int[]{0, 5, 6, 7}) {
            assertThat(Math.abs(counts[j] - expected)).as("item %d", j).isLessThan(4 * sd);
        }
    }

    @Test
    void userOwningEveryItemCannotBeSifted() {
        Adjacency all = TinyGraphs.adjacency(new int[][]{{0, 1, 2}}, 3);
        NegativeSampler s = new NegativeSampler(3, all);
        assertThatThrownBy(() -> s.draw(new int[]{0}, 1, 1, new SplittableRandom(1), new int[1]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("user 0 has all 3 items");
    }
}
