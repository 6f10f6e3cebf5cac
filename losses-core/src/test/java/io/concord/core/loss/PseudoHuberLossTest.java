package io.concord.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.concord.core.loss.GradientCheck.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PseudoHuberLossTest {

    @Test
    void referenceVectorIsTheWholeVectorForm() {
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 4);
        INDArray y = row(0.1, -0.2, 0, 0.3);
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 4);
        double v = PseudoHuberLoss.withConstant(0.03).valueAndGradient(x, y, grad);
        assertThat(v).isCloseTo(0.345366, within(1e-6));
        assertThat(v).as("not the element-wise mean form").isNotCloseTo(0.129534, within(1e-3));
        assertThat(grad.norm2Number().doubleValue()).isLessThan(1.0);
    }

    @Test
    void paperConstantScalesWithSqrtDimension() {
        PseudoHuberLoss loss = PseudoHuberLoss.scaledByDimension(PseudoHuberLoss.PAPER_C_PER_SQRT_DIM);
        assertThat(loss.c(3 * 32 * 32)).isCloseTo(0.029930, within(1e-6));
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 4);
        double identical = loss.valueAndGradient(x, x.dup(), Nd4j.zeros(DataType.DOUBLE, 1, 4));
        assertThat(identical).isEqualTo(0.0);
    }

    @Test
    void finiteDifferences() {
        INDArray x = gaussian(81, 0.1, 4, 5);
        INDArray y = gaussian(82, 0.1, 4, 5);
        assertLossGradient(PseudoHuberLoss.scaledByDimension(0.00054), x, y, 1e-6);
        assertLossGradient(PseudoHuberLoss.withConstant(0.5), x, y, 1e-6);
    }
}
