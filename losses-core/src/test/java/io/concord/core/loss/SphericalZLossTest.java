package io.concord.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.concord.core.loss.GradientCheck.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SphericalZLossTest {

    private static double value(SphericalZLoss loss, INDArray o, INDArray y) {
        return loss.valueAndGradient(o, y, Nd4j.zeros(DataType.DOUBLE, o.shape()));
    }

    @Test
    void referenceVectors() {
        INDArray o = row(1, 2, 3, 4);
        SphericalZLoss unit = new SphericalZLoss(1, 1, 1e-12);
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 4);
        assertThat(unit.valueAndGradient(o, oneHot(4, 3), grad)).isCloseTo(0.536846, within(1e-6));
        assertThat(grad.toDoubleVector()).containsExactly(new double[] {-0.074311, 0.037155, 0.148622, -0.111466},
                within(1e-6));
        assertThat(value(unit, o, oneHot(4, 0))).isCloseTo(2.433463, within(1e-6));
        assertThat(value(new SphericalZLoss(0.1, 10, 1e-12), o, oneHot(4, 3))).isCloseTo(12.169854, within(1e-6));
    }

    @Test
    void shiftAndScaleInvariant() {
        INDArray o = gaussian(11, 1.5, 6, 7);
        INDArray y = oneHot(7, 0, 1, 2, 3, 4, 6);
        SphericalZLoss loss = new SphericalZLoss(1.3, 0.7, 1e-12);
        double base = value(loss, o, y);
        assertThat(value(loss, o.mul(2.5).addi(7), y)).isCloseTo(base, within(1e-9));
        assertThat(value(loss, o.mul(0.05).subi(40), y)).isCloseTo(base, within(1e-8));
        assertThat(value(loss, o.add(1e3), y)).isCloseTo(base, within(1e-9));
        INDArray ce1 = Nd4j.zeros(DataType.DOUBLE, o.shape());
        double ce = SoftmaxCrossEntropy.INSTANCE.valueAndGradient(o, y, ce1);
        double ceScaled = SoftmaxCrossEntropy.INSTANCE.valueAndGradient(o.mul(2.5), y, ce1);
        assertThat(Math.abs(ceScaled - ce)).as("softmax CE is not scale invariant").isGreaterThan(1e-3);
    }

    @Test
    void finiteDifferences() {
        INDArray o = gaussian(12, 2.0, 5, 6);
        assertLossGradient(new SphericalZLoss(1, 1, 1e-12), o, oneHot(6, 0, 5, 2, 3, 3), 1e-6);
        assertLossGradient(new SphericalZLoss(0.1, 10, 1e-12), o, softTargets(13, 5, 6), 1e-6);
        assertLossGradient(new SphericalZLoss(3, -0.5, 1e-12), o, oneHot(6, 1, 1, 4, 0, 2), 1e-6);
    }

    @Test
    void constantRowIsFinite() {
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        double v = new SphericalZLoss(1, 1, 1e-12).valueAndGradient(row(2, 2, 2), oneHot(3, 1), grad);
        assertThat(v).isCloseTo(Math.log1p(Math.E), within(1e-12));
        assertThat(allFinite(grad)).isTrue();
    }
}
