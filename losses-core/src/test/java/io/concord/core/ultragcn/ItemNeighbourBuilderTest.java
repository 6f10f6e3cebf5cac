package io.concord.core.ultragcn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class ItemNeighbourBuilderTest {

    /** Users {0,1}, {0,1,2}, {2}; item 3 has no train interaction. G rows: [2,2,1,0], [2,2,1,0], [1,1,2,0], 0. */
    private static Adjacency handGraph() {
        return TinyGraphs.adjacency(new int[][]{{0, 1}, {0, 1, 2}, {2}}, 4);
    }

    @Test
    void rowSumsAreTheSumsOfTheUsersDegrees() {
        assertThat(ItemNeighbourBuilder.coOccurrenceRowSums(handGraph())).containsExactly(5, 5, 4, 0);
    }

    @Test
    void handComputedTableWithTiesAndPadding() {
        ItemNeighbours k3 = ItemNeighbourBuilder.computeAll(handGraph(), 3);
        // row 0: ω = G_0j·sqrt(6)/5/sqrt(g_j+1): 0.4, 0.4 (tie -> lower id first), sqrt(6/5)/5
        assertThat(k3.neighbourArray()).startsWith(0, 1, 2);
        assertThat(k3.weight(0, 0)).isCloseTo(0.4f, offset(1e-7f));
        assertThat(k3.weight(0, 1)).isCloseTo(0.4f, offset(1e-7f));
        assertThat(k3.weight(0, 2)).isCloseTo((float) (Math.sqrt(6.0 / 5.0) / 5.0), offset(1e-7f));
        // row 2: ω(2,2) = 2·sqrt(5)/4/sqrt(5) = 0.5, ω(2,0) = ω(2,1) = sqrt(5)/4/sqrt(6)
        assertThat(new int[]{k3.neighbour(2, 0), k3.neighbour(2, 1), k3.neighbour(2, 2)}).containsExactly(2, 0, 1);
        assertThat(k3.weight(2, 0)).isCloseTo(0.5f, offset(1e-7f));
        assertThat(k3.weight(2, 1)).isCloseTo((float) (Math.sqrt(5.0) / 4.0 / Math.sqrt(6.0)), offset(1e-7f));
        // item 3 has no co-occurrence: padding with the lowest ids, weight 0
        assertThat(new int[]{k3.neighbour(3, 0), k3.neighbour(3, 1), k3.neighbour(3, 2)}).containsExactly(0, 1, 2);
        assertThat(new float[]{k3.weight(3, 0), k3.weight(3, 1), k3.weight(3, 2)}).containsOnly(0f);

        ItemNeighbours k4 = ItemNeighbourBuilder.computeAll(handGraph(), 4);
        // row 2 has 3 co-occurring items; the 4th slot is the padding item 3 with weight 0
        assertThat(new int[]{k4.neighbour(2, 0), k4.neighbour(2, 1), k4.neighbour(2, 2), k4.neighbour(2, 3)})
                .containsExactly(2, 0, 1, 3);
        assertThat(k4.weight(2, 3)).isZero();
    }

    @Test
    void matchesTheDenseReferenceOnARandomGraphForAnyBlocking() {
        SplittableRandom random = new SplittableRandom(11);
        int numUsers = 40;
        int numItems = 30;
        boolean[][] dense = new boolean[numUsers][numItems];
        List<int[]> rows = new ArrayList<>();
        for (int u = 0; u < numUsers; u++) {
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < numItems; i++) {
                // skewed: low ids popular, so there are many exact ties in G and in g
                if (random.nextDouble() < 0.5 / (1 + i / 5)) {
                    dense[u][i] = true;
                    items.add(i);
                }
            }
            rows.add(items.stream().mapToInt(Integer::intValue).toArray());
        }
        Adjacency train = TinyGraphs.adjacency(rows.toArray(new int[0][]), numItems);
        int k = 6;
        UltraGcnObjective obj = new UltraGcnObjective(4, 0.1, 0, 1, 0, 1, 1, 1, 0, 1, k, false);
        ReferenceObjective ref = new ReferenceObjective(dense, obj);

        Adjacency itemUsers = train.transpose();
        double[] g = ItemNeighbourBuilder.coOccurrenceRowSums(train);
        for (int blockSize : new int[]{1, 7, numItems}) {
            List<NeighbourRows> blocks = new ArrayList<>();
            for (int from = 0; from < numItems; from += blockSize) {
                blocks.add(ItemNeighbourBuilder.computeBlock(from, Math.min(numItems, from + blockSize), train,
                        itemUsers, g, k));
            }
            Collections.reverse(blocks);
            ItemNeighbours table = ItemNeighbours.assemble(numItems, k, blocks);
            for (int i = 0; i < numItems; i++) {
                for (int n = 0; n < k; n++) {
                    assertThat(table.neighbour(i, n)).as("item %d slot %d, block %d", i, n, blockSize)
                            .isEqualTo(ref.nbIds[i][n]);
                    assertThat((double) table.weight(i, n)).isCloseTo(ref.nbW[i][n], offset(1e-7));
                }
            }
        }
    }

    @Test
    void theItemItselfIsAmongItsNeighboursAsInTheOfficialCode() {
        ItemNeighbours t = ItemNeighbourBuilder.computeAll(TinyGraphs.graph().train(), 3);
        for (int i = 0; i < 7; i++) {
            boolean self = false;
            for (int n = 0; n < 3; n++) {
                self |= t.neighbour(i, n) == i && t.weight(i, n) > 0;
            }
            assertThat(self).as("item %d", i).isTrue();
        }
    }

    @Test
    void assembleRejectsGapsAndOverlaps() {
        Adjacency train = handGraph();
        Adjacency itemUsers = train.transpose();
        double[] g = ItemNeighbourBuilder.coOccurrenceRowSums(train);
        NeighbourRows a = ItemNeighbourBuilder.computeBlock(0, 2, train, itemUsers, g, 2);
        NeighbourRows b = ItemNeighbourBuilder.computeBlock(1, 4, train, itemUsers, g, 2);
        NeighbourRows c = ItemNeighbourBuilder.computeBlock(2, 3, train, itemUsers, g, 2);
        assertThatThrownBy(() -> ItemNeighbours.assemble(4, 2, List.of(a, b)))
                .hasMessageContaining("item 1 is covered by two blocks");
        assertThatThrownBy(() -> ItemNeighbours.assemble(4, 2, List.of(a, c)))
                .hasMessageContaining("item 3 is covered by no block");
    }
}
