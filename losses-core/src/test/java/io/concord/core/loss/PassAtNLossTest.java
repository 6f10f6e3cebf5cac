package io.concord.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.concord.core.loss.GradientCheck.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PassAtNLossTest {

    @Test
    void referenceVectors() {
        double logHalf = Math.log(0.5);
        assertThat(new PassAtNLoss(1).valueAndWeight(logHalf)).containsExactly(new double[] {0.693147, 1.0},
                within(1e-6));
        assertThat(new PassAtNLoss(4).valueAndWeight(logHalf)).containsExactly(new double[] {0.064539, 0.266667},
                within(1e-6));
        double[] n16 = new PassAtNLoss(16).valueAndWeight(logHalf);
        assertThat(n16[0]).isCloseTo(1.5259e-5, within(1e-9));
        assertThat(n16[1]).isCloseTo(2.4414e-4, within(1e-8));
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 2);
        assertThat(new PassAtNLoss(4).valueAndGradient(row(0.3, 0.3), oneHot(2, 0), grad))
                .isCloseTo(0.064539, within(1e-6));
        assertThat(grad.getDouble(0, 0)).isCloseTo(-0.5 * 0.266667, within(1e-6));
    }

    @Test
    void nEqualsOneIsCrossEntropy() {
        INDArray x = gaussian(91, 2.0, 5, 4);
        INDArray y = oneHot(4, 0, 1, 2, 3, 3);
        INDArray g1 = Nd4j.zeros(DataType.DOUBLE, 5, 4);
        INDArray g2 = Nd4j.zeros(DataType.DOUBLE, 5, 4);
        assertThat(new PassAtNLoss(1).valueAndGradient(x, y, g1))
                .isCloseTo(SoftmaxCrossEntropy.INSTANCE.valueAndGradient(x, y, g2), within(1e-12));
        assertThat(g1.sub(g2).amaxNumber().doubleValue()).isLessThan(1e-14);
    }

    @Test
    void finiteDifferences() {
        INDArray x = gaussian(92, 2.0, 5, 4);
        assertLossGradient(new PassAtNLoss(4), x, oneHot(4, 0, 1, 2, 3, 3), 1e-6);
        INDArray mask = matrix(new double[][] {{1, 1, 0, 0}, {0, 0, 0, 1}, {0, 1, 0, 1}, {1, 0, 0, 0},
                {0, 0, 1, 0}});
        assertLossGradient(new PassAtNLoss(3), x, mask, 1e-6);
    }

    @Test
    void confidentAnswersStopBeingPushed() {
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        double v = new PassAtNLoss(8).valueAndGradient(row(40, 0, 0), oneHot(3, 0), grad);
        assertThat(v).isGreaterThanOrEqualTo(0.0).isLessThan(1e-100);
        assertThat(allFinite(grad)).isTrue();
        assertThat(grad.amaxNumber().doubleValue()).isLessThan(1e-100);
        double vLow = new PassAtNLoss(8).valueAndGradient(row(-40, 0, 0), oneHot(3, 0), grad);
        assertThat(vLow).isFinite().isGreaterThan(30);
    }
}
