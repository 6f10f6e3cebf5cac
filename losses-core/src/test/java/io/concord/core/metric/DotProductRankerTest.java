package io.concord.core.metric;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class DotProductRankerTest {

    @Test
    void blockedGemmEvaluationEqualsPerUserBruteForce() {
        SplittableRandom r = new SplittableRandom(17);
        int users = 23;
        int items = 57;
        int dim = 5;
        float[] params = new float[(users + items) * dim];
        for (int p = 0; p < params.length; p++) {
            // quantised values: plenty of exactly tied scores
            params[p] = r.nextInt(5) - 2;
        }
        int[][] train = new int[users][];
        int[][] test = new int[users][];
        for (int u = 0; u < users; u++) {
            int[] all = r.ints(12, 0, items).distinct().toArray();
            int split = all.length / 2;
            train[u] = Arrays.stream(all, 0, split).sorted().toArray();
            test[u] = u % 5 == 0 ? new int[0] : Arrays.stream(all, split, all.length).sorted().toArray();
        }
        int[][] trainCsr = csr(train);
        int[][] testCsr = csr(test);

        RankingAccumulator expected = new RankingAccumulator(10);
        int[] ranked = new int[10];
        TopK topK = new TopK(10);
        for (int u = 0; u < users; u++) {
            float[] row = new float[items];
            for (int j = 0; j < items; j++) {
                float s = 0;
                for (int k = 0; k < dim; k++) {
                    s += params[u * dim + k] * params[(users + j) * dim + k];
                }
                row[j] = s;
            }
            int n = topK.select(row, 0, items, train[u], 0, train[u].length, ranked);
            expected.addUser(ranked, n, test[u], 0, test[u].length);
        }
        RankingResult want = expected.result(RankingAccumulator.Averaging.ALL_USERS);

        // several user ranges, tiny score budget (2 users per GEMM), merged in another order
        DotProductRanker ranker = new DotProductRanker(dim, 10, 2 * items);
        RankingAccumulator merged = new RankingAccumulator(10);
        int[][] ranges = {{15, 23}, {0, 7}, {7, 15}};
        for (int[] range : ranges) {
            merged.merge(ranker.evaluate(params, 0, params, users * dim, items, range[0], range[1], trainCsr[0],
                    trainCsr[1], testCsr[0], testCsr[1]));
        }
        RankingResult got = merged.result(RankingAccumulator.Averaging.ALL_USERS);
        assertThat(got.denominator()).isEqualTo(users);
        assertThat(merged.usersWithTestItems()).isEqualTo(users - 5);
        assertThat(got.recall()).isCloseTo(want.recall(), offset(1e-12));
        assertThat(got.ndcg()).isCloseTo(want.ndcg(), offset(1e-12));
        assertThat(got.precision()).isCloseTo(want.precision(), offset(1e-12));
        assertThat(got.recall()).isGreaterThan(0.0);
    }

    private static int[][] csr(int[][] rows) {
        int[] offsets = new int[rows.length + 1];
        for (int u = 0; u < rows.length; u++) {
            offsets[u + 1] = offsets[u] + rows[u].length;
        }
        int[] cols = new int[offsets[rows.length]];
        for (int u = 0; u < rows.length; u++) {
            System.arraycopy(rows[u], 0, cols, offsets[u], rows[u].length);
        }
        return new int[][]{offsets, cols};
    }
}
