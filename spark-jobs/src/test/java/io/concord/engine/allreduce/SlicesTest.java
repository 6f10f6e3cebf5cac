package io.concord.engine.allreduce;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SlicesTest {

    @Test
    void slicesAreContiguousCoverTheVectorAndDifferByAtMostOne() {
        Slices s = new Slices(10, 4);
        assertThat(IntStream.range(0, 4).map(s::lo).toArray()).containsExactly(0, 2, 5, 7);
        assertThat(IntStream.range(0, 4).map(s::size).toArray()).containsExactly(2, 3, 2, 3);
        assertThat(s.hi(3)).isEqualTo(10);
        Slices more = new Slices(3, 5);
        assertThat(IntStream.range(0, 5).map(more::size).sum()).isEqualTo(3);
    }

    @Test
    void elementWiseStateLinesUpWithTheParameterSlice() {
        // Adam-like state for 5 parameters: m[0..5) then v[0..5)
        float[] state = {0, 1, 2, 3, 4, 10, 11, 12, 13, 14};
        StateLayout layout = StateLayout.of(10, 5, true, 2);
        assertThat(layout.blocks()).isEqualTo(2);
        assertThat(layout.extract(state, 0)).containsExactly(0, 1, 10, 11);
        assertThat(layout.extract(state, 1)).containsExactly(2, 3, 4, 12, 13, 14);
        float[] rebuilt = new float[10];
        layout.insert(rebuilt, layout.extract(state, 0), 0);
        layout.insert(rebuilt, layout.extract(state, 1), 1);
        assertThat(rebuilt).containsExactly(state);
    }

    @Test
    void otherStateIsOneFlatBlock() {
        StateLayout layout = StateLayout.of(7, 5, false, 2);
        assertThat(layout.blocks()).isEqualTo(1);
        assertThat(layout.extract(new float[] {0, 1, 2, 3, 4, 5, 6}, 1)).containsExactly(3, 4, 5, 6);
        assertThat(StateLayout.of(0, 5, true, 3).sliceLength(1)).isZero();
    }
}
