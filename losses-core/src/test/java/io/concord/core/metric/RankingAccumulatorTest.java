package io.concord.core.metric;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * A hand-computed example of the official protocol at K = 3, with tied scores, a masked train item, a user with more
 * test items than K and a user without test items.
 */
class RankingAccumulatorTest {

    private static final double L2 = 1.0;                      // 1/log2(2)
    private static final double L3 = 1.0 / (Math.log(3) / Math.log(2));
    private static final double L4 = 0.5;                      // 1/log2(4)

    /**
     * Items 0..5. Scores and sets per user:
     * <pre>
     * u0: scores [.9 .8 .8 .1 .8 .0], train {0}, test {2, 5}
     *     ranking without item 0, ties by lower id: 1, 2, 4 -> hits at rank 2
     *     recall 1/2, precision 1/3, DCG 1/log2(3), IDCG 1 + 1/log2(3)
     * u1: scores [.1 .2 .3 .4 .5 .6], train {}, test {5, 4, 0, 1}
     *     ranking 5, 4, 3 -> hits at 1, 2; recall 2/4, precision 2/3, DCG 1 + 1/log2(3), IDCG (K=3) 1+1/log2(3)+1/2
     * u2: test {} -> contributes 0, counts only in the all-users average
     * </pre>
     */
    private static RankingAccumulator[] perUser() {
        float[][] scores = {
                {.9f, .8f, .8f, .1f, .8f, 0f},
                {.1f, .2f, .3f, .4f, .5f, .6f},
                {1f, 1f, 1f, 1f, 1f, 1f},
        };
        int[][] train = {{0}, {}, {}};
        int[][] test = {{2, 5}, {0, 1, 4, 5}, {}};
        TopK topK = new TopK(3);
        RankingAccumulator[] out = new RankingAccumulator[3];
        int[] ranked = new int[3];
        for (int u = 0; u < 3; u++) {
            out[u] = new RankingAccumulator(3);
            int n = topK.select(scores[u], 0, 6, train[u], 0, train[u].length, ranked);
            out[u].addUser(ranked, n, test[u], 0, test[u].length);
        }
        return out;
    }

    @Test
    void handComputedExample() {
        RankingAccumulator[] users = perUser();
        RankingResult u0 = users[0].result(RankingAccumulator.Averaging.ALL_USERS);
        assertThat(u0.recall()).isCloseTo(0.5, offset(1e-15));
        assertThat(u0.precision()).isCloseTo(1.0 / 3, offset(1e-15));
        assertThat(u0.ndcg()).isCloseTo(L3 / (L2 + L3), offset(1e-15));
        RankingResult u1 = users[1].result(RankingAccumulator.Averaging.ALL_USERS);
        assertThat(u1.recall()).isCloseTo(0.5, offset(1e-15));
        assertThat(u1.precision()).isCloseTo(2.0 / 3, offset(1e-15));
        assertThat(u1.ndcg()).isCloseTo((L2 + L3) / (L2 + L3 + L4), offset(1e-15));

        RankingAccumulator all = new RankingAccumulator(3).merge(users[2]).merge(users[0]).merge(users[1]);
        RankingResult allUsers = all.result(RankingAccumulator.Averaging.ALL_USERS);
        assertThat(allUsers.denominator()).isEqualTo(3);
        assertThat(allUsers.recall()).isCloseTo(1.0 / 3, offset(1e-15));
        assertThat(allUsers.precision()).isCloseTo(1.0 / 3, offset(1e-15));
        double ndcgSum = L3 / (L2 + L3) + (L2 + L3) / (L2 + L3 + L4);
        assertThat(allUsers.ndcg()).isCloseTo(ndcgSum / 3, offset(1e-15));
        assertThat(allUsers.f1()).isCloseTo(1.0 / 3, offset(1e-15));

        RankingResult withTest = all.result(RankingAccumulator.Averaging.USERS_WITH_TEST_ITEMS);
        assertThat(withTest.denominator()).isEqualTo(2);
        assertThat(withTest.recall()).isCloseTo(0.5, offset(1e-15));
        assertThat(withTest.ndcg()).isCloseTo(ndcgSum / 2, offset(1e-15));
    }

    @Test
    void usersWithoutTestItemsCanBeCountedInBulk() {
        RankingAccumulator a = new RankingAccumulator(3);
        a.addUsersWithoutTestItems(5);
        RankingAccumulator b = perUser()[0];
        a.merge(b);
        assertThat(a.users()).isEqualTo(6);
        assertThat(a.usersWithTestItems()).isEqualTo(1);
        assertThat(a.result(RankingAccumulator.Averaging.ALL_USERS).recall()).isCloseTo(0.5 / 6, offset(1e-15));
    }

    @Test
    void precisionDividesByKEvenWhenFewerItemsAreRanked() {
        RankingAccumulator a = new RankingAccumulator(20);
        a.addUser(new int[]{7, 8}, 2, new int[]{8}, 0, 1);
        RankingResult r = a.result(RankingAccumulator.Averaging.ALL_USERS);
        assertThat(r.precision()).isCloseTo(1.0 / 20, offset(1e-15));
        assertThat(r.recall()).isEqualTo(1.0);
        assertThat(r.ndcg()).isCloseTo(L3, offset(1e-15));
    }
}
