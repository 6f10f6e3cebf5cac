package io.concord.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.concord.core.loss.GradientCheck.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LogitZLossTest {

    @Test
    void referenceVector() {
        INDArray x = row(1, 2, 3);
        INDArray y = oneHot(3, 2);
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        double total = new LogitZLoss(1e-4, true).valueAndGradient(x, y, grad);
        double ce = SoftmaxCrossEntropy.INSTANCE.valueAndGradient(x, y, Nd4j.zeros(DataType.DOUBLE, 1, 3));
        assertThat(total - ce).isCloseTo(0.00116118, within(1e-8));
        assertThat(grad.toDoubleVector()).containsExactly(new double[] {0.090092, 0.244895, -0.334306},
                within(1e-6));
        double zOnly = new LogitZLoss(1e-4, false).valueAndGradient(x, y, grad);
        assertThat(Math.sqrt(zOnly / 1e-4)).isCloseTo(3.407606, within(1e-6));
    }

    @Test
    void finiteDifferences() {
        INDArray x = gaussian(21, 3.0, 4, 5);
        assertLossGradient(new LogitZLoss(0.1, true), x, oneHot(5, 0, 1, 2, 4), 1e-6);
        assertLossGradient(new LogitZLoss(0.1, true), x, softTargets(22, 4, 5), 1e-6);
        assertLossGradient(new LogitZLoss(0.5, false), x, oneHot(5, 0, 1, 2, 4), 1e-6);
    }
}
