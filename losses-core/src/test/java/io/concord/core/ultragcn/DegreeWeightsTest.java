package io.concord.core.ultragcn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DegreeWeightsTest {

    @Test
    void officialFormulaFromTrainDegrees() {
        DegreeWeights w = DegreeWeights.fromTrain(TinyGraphs.graph().train());
        // user degrees 3, 4, 3, 4, 1: β_u = sqrt(d+1)/d
        assertThat(w.userBeta(0)).isEqualTo((float) (2.0 / 3.0));
        assertThat(w.userBeta(1)).isEqualTo((float) (Math.sqrt(5.0) / 4.0));
        assertThat(w.userBeta(4)).isEqualTo((float) Math.sqrt(2.0));
        // item degrees 2, 2, 3, 2, 2, 2, 2, 0: β_i = 1/sqrt(d+1); test-only item 7 gets 1
        assertThat(w.itemBeta(2)).isEqualTo(0.5f);
        assertThat(w.itemBeta(0)).isEqualTo((float) (1.0 / Math.sqrt(3.0)));
        assertThat(w.itemBeta(7)).isEqualTo(1f);
    }

    @Test
    void userWithoutTrainItemsGetsZeroInsteadOfInfinity() {
        DegreeWeights w = DegreeWeights.fromDegrees(new int[]{0, 1}, new int[]{1});
        assertThat(w.userBeta(0)).isZero();
        assertThat(w.userBeta(1)).isEqualTo((float) Math.sqrt(2.0));
    }
}
