package io.concord.data.calib;

import io.concord.core.calib.CalibNetConfig;
import io.concord.core.calib.CalibParam;
import io.concord.core.calib.ParamScaling;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StereoPairBatchesTest {

    private static final List<StereoPair> PAIRS = new StereoPairGenerator(StereoRigConfig.cvgl(12).withNoise(0), 2)
            .generate(0, 3);

    @Test
    void stackedFeaturesAreNchwWithLeftChannelsFirst() {
        INDArray[] f = StereoPairBatches.features(PAIRS, CalibNetConfig.Fusion.STACKED);
        assertThat(f).hasSize(1);
        assertThat(f[0].shape()).containsExactly(3, 6, 12, 12);
        StereoPair p = PAIRS.get(1);
        int row = 7;
        int col = 4;
        int o = (row * 12 + col) * 3;
        for (int c = 0; c < 3; c++) {
            assertThat(f[0].getDouble(1, c, row, col)).isCloseTo((p.left()[o + c] & 0xFF) / 255.0 - 0.5, within(1e-6));
            assertThat(f[0].getDouble(1, 3 + c, row, col)).isCloseTo((p.right()[o + c] & 0xFF) / 255.0 - 0.5,
                    within(1e-6));
        }
    }

    @Test
    void twoTowerFeaturesAndNormalizedLabels() {
        ParamScaling scaling = ParamScaling.fit(StereoPairBatches.physicalLabels(PAIRS));
        MultiDataSet data = StereoPairBatches.converter(CalibNetConfig.Fusion.TWO_TOWERS, scaling).convert(PAIRS);
        assertThat(data.getFeatures()).hasSize(2);
        assertThat(data.getFeatures(1).shape()).containsExactly(3, 3, 12, 12);
        assertThat(data.getFeatures(1).getDouble(2, 1, 0, 5)).isCloseTo(
                (PAIRS.get(2).right()[(5) * 3 + 1] & 0xFF) / 255.0 - 0.5, within(1e-6));
        INDArray labels = data.getLabels(0);
        assertThat(labels.shape()).containsExactly(3, CalibParam.COUNT);
        int k = CalibParam.TY.index();
        assertThat(scaling.denormalize(k, labels.getDouble(0, k))).isCloseTo(PAIRS.get(0).label(CalibParam.TY),
                within(1e-5));
        // A mean/std scaling: the normalized column has mean 0.
        assertThat(labels.getColumn(k).meanNumber().doubleValue()).isCloseTo(0.0, within(1e-5));
    }
}
