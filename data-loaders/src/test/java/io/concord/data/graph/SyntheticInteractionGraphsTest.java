package io.concord.data.graph;

import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyntheticInteractionGraphsTest {

    private static final SyntheticGraphSpec SPEC = new SyntheticGraphSpec(800, 600, 8, 20, 2.5, 0.8, 0.8, 0.2);

    @Test
    void deterministicForASeed() {
        InteractionGraph a = SyntheticInteractionGraphs.generate(SPEC, 42);
        InteractionGraph b = SyntheticInteractionGraphs.generate(SPEC, 42);
        InteractionGraph c = SyntheticInteractionGraphs.generate(SPEC, 43);
        assertThat(a.train()).isEqualTo(b.train());
        assertThat(a.test()).isEqualTo(b.test());
        assertThat(a.train()).isNotEqualTo(c.train());
    }

    @Test
    void meanDegreeAndHeavyTail() {
        Adjacency all = SyntheticInteractionGraphs.interactions(SPEC, 1);
        double mean = all.nnz() / 800.0;
        assertThat(mean).isBetween(14.0, 26.0);
        int max = 0;
        int min = Integer.MAX_VALUE;
        for (int d : all.degrees()) {
            max = Math.max(max, d);
            min = Math.min(min, d);
        }
        assertThat(min).isGreaterThanOrEqualTo(1);
        assertThat(max).isGreaterThan((int) (5 * mean));
        // Zipf popularity: the most popular item is far above the average item degree
        int maxItem = 0;
        for (int d : all.columnDegrees()) {
            maxItem = Math.max(maxItem, d);
        }
        assertThat(maxItem).isGreaterThan(10 * all.nnz() / 600);
    }

    @Test
    void usersConcentrateOnOneCluster() {
        // with affinity 1 every interaction stays in the user's cluster: users co-occur only within clusters, so the
        // item-item co-occurrence graph splits into at most numClusters components
        SyntheticGraphSpec pure = new SyntheticGraphSpec(300, 200, 4, 8, 2.5, 0.5, 1.0, 0.0);
        Adjacency all = SyntheticInteractionGraphs.interactions(pure, 3);
        int[] parent = new int[200];
        for (int i = 0; i < 200; i++) {
            parent[i] = i;
        }
        for (int u = 0; u < 300; u++) {
            int[] row = all.row(u);
            for (int p = 1; p < row.length; p++) {
                parent[find(parent, row[p])] = find(parent, row[0]);
            }
        }
        java.util.Set<Integer> components = new java.util.HashSet<>();
        int[] degree = all.columnDegrees();
        for (int i = 0; i < 200; i++) {
            if (degree[i] > 0) {
                components.add(find(parent, i));
            }
        }
        assertThat(components.size()).isLessThanOrEqualTo(4);
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            x = parent[x] = parent[parent[x]];
        }
        return x;
    }

    @Test
    void splitHoldsOutAFractionPerUserAndKeepsATrainItem() {
        Adjacency all = SyntheticInteractionGraphs.interactions(SPEC, 5);
        InteractionGraph g = PerUserSplit.split(all, 0.2, 9);
        assertThat(g.trainSize() + g.testSize()).isEqualTo(all.nnz());
        for (int u = 0; u < g.numUsers(); u++) {
            int d = all.degree(u);
            assertThat(g.test().degree(u)).isEqualTo(Math.min(d - 1, (int) Math.round(0.2 * d)));
            assertThat(g.train().degree(u)).isGreaterThanOrEqualTo(1);
            for (int i : g.test().row(u)) {
                assertThat(g.train().contains(u, i)).isFalse();
                assertThat(all.contains(u, i)).isTrue();
            }
        }
    }

    @Test
    void badSpecNamesTheKey() {
        assertThatThrownBy(() -> new SyntheticGraphSpec(10, 10, 2, 3, 1.5, 1, 0.5, 0.2))
                .hasMessageContaining("data.degreeExponent");
    }
}
