package io.concord.core.ultragcn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdjacencyTest {

    @Test
    void fromPairsSortsAndCollapsesDuplicates() {
        Adjacency a = Adjacency.fromPairs(3, 5, new int[]{2, 0, 0, 2, 0, 2}, new int[]{4, 3, 1, 0, 3, 4}, 6);
        assertThat(a.row(0)).containsExactly(1, 3);
        assertThat(a.row(1)).isEmpty();
        assertThat(a.row(2)).containsExactly(0, 4);
        assertThat(a.nnz()).isEqualTo(4);
        assertThat(a.degrees()).containsExactly(2, 0, 2);
        assertThat(a.columnDegrees()).containsExactly(1, 1, 0, 1, 1);
        assertThat(a.contains(2, 4)).isTrue();
        assertThat(a.contains(2, 3)).isFalse();
    }

    @Test
    void transposeTwiceIsIdentity() {
        Adjacency a = TinyGraphs.graph().train();
        Adjacency t = a.transpose();
        assertThat(t.numRows()).isEqualTo(8);
        assertThat(t.row(6)).containsExactly(3, 4);
        assertThat(t.row(7)).isEmpty();
        assertThat(t.transpose()).isEqualTo(a);
    }

    @Test
    void resizeAddsEmptyRows() {
        Adjacency a = TinyGraphs.adjacency(new int[][]{{1}}, 2).resize(3, 4);
        assertThat(a.numRows()).isEqualTo(3);
        assertThat(a.numColumns()).isEqualTo(4);
        assertThat(a.row(0)).containsExactly(1);
        assertThat(a.row(2)).isEmpty();
    }

    @Test
    void constructorRejectsUnsortedOrOutOfRangeRows() {
        assertThatThrownBy(() -> new Adjacency(1, 5, new int[]{0, 2}, new int[]{3, 1}))
                .hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> new Adjacency(1, 2, new int[]{0, 1}, new int[]{2}))
                .hasMessageContaining("outside [0, 2)");
        assertThatThrownBy(() -> Adjacency.fromPairs(2, 2, new int[]{2}, new int[]{0}, 1))
                .hasMessageContaining("row 2 outside");
    }
}
