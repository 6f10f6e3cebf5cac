package io.concord.data.calib;

import io.concord.core.calib.CalibNetConfig;
import io.concord.core.calib.CalibNetwork;
import io.concord.core.calib.ParamScaling;
import io.concord.core.calib.UgclLossConfig;
import io.concord.core.calib.UgclLossFunction;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.model.dl4j.Dl4jNetworkModel;
import io.concord.core.optim.Adam;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path in miniature — generator, converter, CNN with the UGCL loss, Concord bridge and Adam — fits a small
 * training set: the summed loss falls well below its starting value.
 */
class CalibTrainingSmokeTest {

    @Test
    void cnnWithUgclLossFitsASmallTrainingSet() {
        int size = 16;
        List<StereoPair> pairs = new StereoPairGenerator(StereoRigConfig.cvgl(size), 4).generate(0, 32);
        ParamScaling scaling = ParamScaling.fit(StereoPairBatches.physicalLabels(pairs));
        CalibNetConfig net = new CalibNetConfig(size, size, 3, CalibNetConfig.Fusion.STACKED, new int[] {8, 16}, 32,
                DataType.FLOAT, 1e-3, 1L);
        Dl4jNetworkModel<StereoPair> model = Dl4jNetworkModel.of(
                CalibNetwork.configuration(net, new UgclLossFunction(UgclLossConfig.withConstraints(size, size, 1.0),
                        scaling)), StereoPairBatches.converter(CalibNetConfig.Fusion.STACKED, scaling));
        float[] params = new float[model.numParams()];
        model.initParams(params, 3L);
        Adam adam = Adam.adam(3e-3);
        float[] state = new float[adam.stateSize(params.length)];
        float[] grad = new float[params.length];
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 1; step <= 80; step++) {
            Arrays.fill(grad, 0f);
            double loss = model.accumulateGradient(params, pairs, grad, SimpleStepContext.of(1, step)).meanLoss();
            adam.step(params, grad, state, step);
            if (step == 1) {
                first = loss;
            }
            last = loss;
        }
        assertThat(last).isLessThan(0.5 * first);
    }
}
