package io.concord.core.ultragcn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UltraGcnPresetTest {

    @Test
    void gowallaIsTheOfficialConfig() {
        UltraGcnPreset p = UltraGcnPreset.forDataset("gowalla");
        UltraGcnObjective o = p.objective();
        assertThat(o.embeddingDim()).isEqualTo(64);
        assertThat(o.initialWeight()).isEqualTo(1e-4);
        assertThat(p.learningRate()).isEqualTo(1e-4);
        assertThat(p.batchSize()).isEqualTo(512);
        assertThat(new double[]{o.w1(), o.w2(), o.w3(), o.w4()}).containsExactly(1e-6, 1, 1e-6, 1);
        assertThat(o.negativeNum()).isEqualTo(1500);
        assertThat(o.negativeWeight()).isEqualTo(300);
        // effective per-negative weight (reference §1.3)
        assertThat(o.negativeWeight() / o.negativeNum()).isEqualTo(0.2);
        assertThat(o.gamma()).isEqualTo(1e-4);
        assertThat(o.lambda()).isEqualTo(5e-4);
        assertThat(o.iiNeighborNum()).isEqualTo(10);
        assertThat(p.earlyStopEvaluations()).isEqualTo(150);
        assertThat(o.samplingSiftPos()).isFalse();
        assertThat(p.officialRecallAt20()).isEqualTo(0.186364);
    }

    @Test
    void datasetSpecificDifferences() {
        assertThat(UltraGcnPreset.forDataset("amazon-electronics").objective().samplingSiftPos()).isTrue();
        assertThat(UltraGcnPreset.forDataset("amazon-electronics").objective().gamma()).isEqualTo(5e-5);
        assertThat(UltraGcnPreset.forDataset("ML_1M").objective().embeddingDim()).isEqualTo(128);
        UltraGcnObjective book = UltraGcnPreset.AMAZON_BOOK.objective();
        assertThat(book.w3()).isEqualTo(1.0);
        assertThat(book.w4()).isEqualTo(1e-8);
        assertThat(book.lambda()).isEqualTo(2.75);
        assertThat(UltraGcnPreset.AMAZON_CDS.objective().negativeNum()).isEqualTo(1000);
        assertThat(UltraGcnPreset.YELP2018.objective().negativeNum()).isEqualTo(800);
        for (UltraGcnPreset p : UltraGcnPreset.values()) {
            assertThat(p.maxEpoch()).isEqualTo(2000);
            assertThat(p.objective().iiNeighborNum()).isEqualTo(10);
        }
    }

    @Test
    void unknownDatasetNamesTheKnownOnes() {
        assertThatThrownBy(() -> UltraGcnPreset.forDataset("netflix"))
                .hasMessageContaining("ultragcn.preset")
                .hasMessageContaining("gowalla")
                .hasMessageContaining("ml-1m");
    }

    @Test
    void officialEvaluationSchedule() {
        assertThat(UltraGcnPreset.officialEvaluationEpoch(0)).isTrue();
        assertThat(UltraGcnPreset.officialEvaluationEpoch(3)).isFalse();
        assertThat(UltraGcnPreset.officialEvaluationEpoch(45)).isTrue();
        assertThat(UltraGcnPreset.officialEvaluationEpoch(49)).isFalse();
        assertThat(UltraGcnPreset.officialEvaluationEpoch(51)).isTrue();
    }

    @Test
    void badHyperparameterNamesItsKey() {
        assertThatThrownBy(() -> new UltraGcnObjective(64, 1e-4, 0, 1, 0, 1, 0, 1, 0, 0, 10, false))
                .hasMessageContaining("ultragcn.negative_num");
    }
}
