package io.concord.core.metric;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TopKTest {

    private static int[] top(int k, float[] scores, int... excluded) {
        int[] out = new int[k];
        int n = new TopK(k).select(scores, 0, scores.length, excluded, 0, excluded.length, out);
        return Arrays.copyOf(out, n);
    }

    @Test
    void tiesRankTheLowerIdFirst() {
        float[] s = {0.5f, 0.9f, 0.5f, 0.9f, 0.1f, 0.5f};
        assertThat(top(4, s)).containsExactly(1, 3, 0, 2);
        assertThat(top(2, s)).containsExactly(1, 3);
    }

    @Test
    void excludedIdsAreSkippedAndShortRowsReturnFewer() {
        float[] s = {5f, 4f, 3f, 2f, 1f};
        assertThat(top(3, s, 0, 2)).containsExactly(1, 3, 4);
        assertThat(top(10, s, 1)).containsExactly(0, 2, 3, 4);
    }

    @Test
    void nanRanksFirstAndSignedZerosTie() {
        float[] s = {-0.0f, Float.NaN, 0.0f, Float.NEGATIVE_INFINITY, 1f};
        assertThat(top(5, s)).containsExactly(1, 4, 0, 2, 3);
    }

    @Test
    void agreesWithAFullSortOnRandomRowsWithManyTies() {
        SplittableRandom r = new SplittableRandom(1);
        TopK topK = new TopK(20);
        int[] out = new int[20];
        for (int rep = 0; rep < 200; rep++) {
            int n = 1 + r.nextInt(300);
            float[] row = new float[n + 3];
            for (int j = 0; j < n; j++) {
                row[3 + j] = r.nextInt(25) / 4f;
            }
            int[] excluded = r.ints(r.nextInt(Math.min(n, 30) + 1), 0, n).distinct().sorted().toArray();
            int got = topK.select(row, 3, n, excluded, 0, excluded.length, out);
            List<Integer> ids = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (Arrays.binarySearch(excluded, j) < 0) {
                    ids.add(j);
                }
            }
            ids.sort((a, b) -> row[3 + a] != row[3 + b] ? Float.compare(row[3 + b], row[3 + a])
                    : Integer.compare(a, b));
            int expected = Math.min(20, ids.size());
            assertThat(got).isEqualTo(expected);
            for (int p = 0; p < expected; p++) {
                assertThat(out[p]).isEqualTo(ids.get(p));
            }
        }
    }
}
