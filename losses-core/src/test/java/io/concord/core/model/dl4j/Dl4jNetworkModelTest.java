package io.concord.core.model.dl4j;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.util.Seeds;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The DL4J bridge's gradient is the gradient of the loss it reports (summed over the batch). */
class Dl4jNetworkModelTest {

    private static final int DIM = 5;
    private static final int CLASSES = 3;

    private static MultiLayerConfiguration network() {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(DIM).nOut(7).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(7).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    private static List<LabeledVector> batch(int n) {
        SplittableRandom r = new SplittableRandom(11);
        List<LabeledVector> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                x[j] = (float) Seeds.gaussian(r);
            }
            out.add(new LabeledVector(x, r.nextInt(CLASSES)));
        }
        return out;
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheSummedLoss() {
        Dl4jNetworkModel<LabeledVector> model = Dl4jNetworkModel.of(network(), LabeledVectorBatches.oneHot(CLASSES));
        float[] params = new float[model.numParams()];
        model.initParams(params, 3);
        List<LabeledVector> batch = batch(9);
        float[] grad = new float[params.length];
        BatchLoss loss = model.accumulateGradient(params, batch, grad, SimpleStepContext.of(1, 0));
        assertThat(loss.weight()).isEqualTo(9.0);

        double h = 1e-3;
        double maxRel = 0;
        for (int i = 0; i < params.length; i += 3) {
            float saved = params[i];
            params[i] = (float) (saved + h);
            double plus = model.accumulateGradient(params, batch, new float[params.length],
                    SimpleStepContext.of(1, 0)).lossSum();
            params[i] = (float) (saved - h);
            double minus = model.accumulateGradient(params, batch, new float[params.length],
                    SimpleStepContext.of(1, 0)).lossSum();
            params[i] = saved;
            double numeric = (plus - minus) / ((float) (saved + h) - (float) (saved - h));
            maxRel = Math.max(maxRel, Math.abs(numeric - grad[i]) / Math.max(1.0, Math.abs(numeric)));
        }
        assertThat(maxRel).isCloseTo(0.0, within(2e-3));
    }

    @Test
    void gradientAccumulatesAcrossCalls() {
        Dl4jNetworkModel<LabeledVector> model = Dl4jNetworkModel.of(network(), LabeledVectorBatches.oneHot(CLASSES));
        float[] params = new float[model.numParams()];
        model.initParams(params, 3);
        List<LabeledVector> batch = batch(6);
        float[] whole = new float[params.length];
        model.accumulateGradient(params, batch, whole, SimpleStepContext.of(1, 0));
        float[] split = new float[params.length];
        model.accumulateGradient(params, batch.subList(0, 2), split, SimpleStepContext.of(1, 0));
        model.accumulateGradient(params, batch.subList(2, 6), split, SimpleStepContext.of(1, 0));
        for (int i = 0; i < params.length; i++) {
            assertThat(split[i]).isCloseTo(whole[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }
}
