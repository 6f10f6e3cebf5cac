package io.concord.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static io.concord.core.loss.GradientCheck.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StableMaxCrossEntropyTest {

    private final StableMaxCrossEntropy loss = StableMaxCrossEntropy.INSTANCE;

    @Test
    void referenceVector() {
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        double v = loss.valueAndGradient(row(0, 1, -1), oneHot(3, 1), grad);
        assertThat(v).isCloseTo(0.559616, within(1e-6));
        assertThat(grad.toDoubleVector()).containsExactly(new double[] {0.285714, -0.214286, 0.071429},
                within(1e-6));
        double ce = SoftmaxCrossEntropy.INSTANCE.valueAndGradient(row(0, 1, -1), oneHot(3, 1), grad);
        assertThat(ce).isCloseTo(0.407606, within(1e-6));
    }

    @Test
    void finiteDifferences() {
        INDArray x = gaussian(31, 2.0, 6, 4);
        assertLossGradient(loss, x, oneHot(4, 0, 1, 2, 3, 0, 1), 1e-6);
        assertLossGradient(loss, x, softTargets(32, 6, 4), 1e-6);
    }

    @Test
    void finiteAtPlusMinus1e4WhereSoftmaxOverflows() {
        float[][] logits = {{1e4f, -1e4f, 0f}, {-1e4f, 1e4f, -1e4f}};
        INDArray x = Nd4j.create(logits);
        INDArray y = oneHot(3, 0, 0).castTo(DataType.FLOAT);
        INDArray grad = Nd4j.zeros(DataType.FLOAT, 2, 3);
        double v = loss.valueAndGradient(x, y, grad);
        assertThat(v).isFinite().isPositive();
        assertThat(allFinite(grad)).isTrue();
        assertThat(grad.getDouble(0, 0)).as("the confident row still has a gradient").isNegative();

        INDArray expNaive = Transforms.exp(x, true);
        INDArray softmaxNaive = expNaive.divColumnVector(expNaive.sum(true, 1));
        assertThat(Double.isNaN(softmaxNaive.getDouble(0, 0))).as("naive float softmax: inf/inf").isTrue();

        INDArray ceGrad = Nd4j.zeros(DataType.FLOAT, 2, 3);
        SoftmaxCrossEntropy.INSTANCE.valueAndGradient(x, y, ceGrad);
        assertThat(ceGrad.getDouble(0, 0)).as("softmax collapse: the max-shifted CE gradient is exactly 0")
                .isEqualTo(0.0);
    }
}
