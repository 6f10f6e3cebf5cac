package io.concord.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.concord.core.loss.GradientCheck.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CompSumLossTest {

    private static double value(Loss loss, INDArray x, INDArray y) {
        return loss.valueAndGradient(x, y, Nd4j.zeros(DataType.DOUBLE, x.shape()));
    }

    @Test
    void referenceVectors() {
        INDArray h = row(2, 1, 0);
        INDArray y = oneHot(3, 0);
        assertThat(value(CompSumLoss.of(0.0), h, y)).isCloseTo(0.503215, within(1e-6));
        assertThat(value(CompSumLoss.of(1.0), h, y)).isCloseTo(0.407606, within(1e-6));
        assertThat(value(CompSumLoss.generalizedCrossEntropy(0.7), h, y)).isCloseTo(0.354614, within(1e-6));
        assertThat(value(CompSumLoss.meanAbsoluteError(), h, y)).isCloseTo(0.334759, within(1e-6));
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        CompSumLoss.of(1.0).valueAndGradient(h, y, grad);
        assertThat(grad.toDoubleVector()).containsExactly(new double[] {-0.334759, 0.244728, 0.090031},
                within(1e-6));
    }

    @Test
    void unifiedGradientIsPowerOfPyTimesCrossEntropyGradient() {
        INDArray h = row(2, 1, 0);
        INDArray y = oneHot(3, 0);
        double py = 0.665241;
        INDArray ceGrad = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        SoftmaxCrossEntropy.INSTANCE.valueAndGradient(h, y, ceGrad);
        for (double tau : new double[] {0.0, 1.7, 2.0}) {
            INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 3);
            CompSumLoss.of(tau).valueAndGradient(h, y, grad);
            assertThat(grad.toDoubleVector()).containsExactly(ceGrad.mul(Math.pow(py, tau - 1)).toDoubleVector(),
                    within(1e-6));
        }
    }

    @Test
    void finiteDifferences() {
        INDArray x = gaussian(1, 2.0, 5, 4);
        INDArray hard = oneHot(4, 0, 3, 1, 2, 2);
        INDArray soft = softTargets(2, 5, 4);
        for (double tau : new double[] {0.0, 0.5, 1.0, 1.7, 2.0}) {
            assertLossGradient(CompSumLoss.of(tau), x, hard, 1e-6);
            assertLossGradient(CompSumLoss.of(tau), x, soft, 1e-6);
        }
    }

    @Test
    void crossEntropyMemberMatchesSoftmaxCrossEntropy() {
        INDArray x = gaussian(3, 3.0, 6, 5);
        INDArray y = softTargets(4, 6, 5);
        INDArray g1 = Nd4j.zeros(DataType.DOUBLE, 6, 5);
        INDArray g2 = Nd4j.zeros(DataType.DOUBLE, 6, 5);
        double v1 = CompSumLoss.of(1.0).valueAndGradient(x, y, g1);
        double v2 = SoftmaxCrossEntropy.INSTANCE.valueAndGradient(x, y, g2);
        assertThat(v1).isCloseTo(v2, within(1e-12));
        assertThat(g1.sub(g2).amaxNumber().doubleValue()).isLessThan(1e-14);
    }

    @Test
    void floatOutputsGetAFloatGradient() {
        INDArray x = gaussian(5, 1.0, 3, 4);
        INDArray y = oneHot(4, 1, 2, 3);
        INDArray gDouble = Nd4j.zeros(DataType.DOUBLE, 3, 4);
        INDArray gFloat = Nd4j.zeros(DataType.FLOAT, 3, 4);
        double vd = CompSumLoss.generalizedCrossEntropy(0.7).valueAndGradient(x, y, gDouble);
        double vf = CompSumLoss.generalizedCrossEntropy(0.7).valueAndGradient(x.castTo(DataType.FLOAT),
                y.castTo(DataType.FLOAT), gFloat);
        assertThat(vf).isCloseTo(vd, within(1e-5));
        assertThat(gFloat.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(gFloat.castTo(DataType.DOUBLE).sub(gDouble).amaxNumber().doubleValue()).isLessThan(1e-6);
    }

    @Test
    void viewsAndFortranOrderAreReadAndWrittenCorrectly() {
        INDArray x = gaussian(6, 1.0, 4, 3);
        INDArray y = oneHot(3, 0, 1, 2, 0);
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        double v = CompSumLoss.of(0.5).valueAndGradient(x, y, expected);

        INDArray wide = Nd4j.zeros(DataType.FLOAT, 4, 7);
        INDArray xView = wide.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 5));
        xView.assign(x);
        INDArray gradF = Nd4j.zeros(DataType.FLOAT, 4, 3).dup('f');
        INDArray gradWide = Nd4j.zeros(DataType.DOUBLE, 4, 6);
        INDArray gradView = gradWide.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 4));
        assertThat(CompSumLoss.of(0.5).valueAndGradient(xView, y.dup('f'), gradF)).isCloseTo(v, within(1e-6));
        assertThat(CompSumLoss.of(0.5).valueAndGradient(x, y, gradView)).isCloseTo(v, within(1e-12));
        assertThat(gradF.castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThat(gradView.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-15);
        assertThat(gradWide.getColumn(0).amaxNumber().doubleValue()).as("outside the view untouched").isEqualTo(0.0);
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> CompSumLoss.generalizedCrossEntropy(1.5))
                .hasMessage("loss.q: 1.5 is not allowed; must be in (0.0, 1.0]");
        assertThatThrownBy(() -> CompSumLoss.of(1.0).valueAndGradient(row(1, 2), row(1, 0, 0),
                Nd4j.zeros(DataType.DOUBLE, 1, 2))).hasMessageContaining("targets has shape [1, 3]");
    }
}
