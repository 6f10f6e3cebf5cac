package io.concord.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.concord.core.loss.GradientCheck.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConRLossTest {

    private final ConRLoss loss = new ConRLoss(1.0, 0.07, 0.01);

    private static INDArray vector(double... v) {
        return Nd4j.create(v, new long[] {v.length}, DataType.DOUBLE);
    }

    @Test
    void referenceVector() {
        INDArray f = matrix(new double[][] {{1, 0}, {0.8, 0.6}, {0, 1}, {-1, 0}});
        INDArray y = vector(20, 20.5, 30, 31);
        INDArray yHat = vector(21, 20, 22, 40);
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 4, 2);
        double sum = loss.valueAndGradient(f, y, yHat, null, grad);
        assertThat(sum / 4).isCloseTo(0.407575, within(1e-6));
        // Only samples 0 and 2 have negatives. Sample 0: positive {1} at cos 0.8, negative {2} at cos 0 with
        // |Δy| = 10, and N − |P| = 3 masked entries entering as exp(0) = 1.
        double s01 = 0.8 / 0.07;
        double sample0 = Math.log(Math.exp(s01) + 3 + Math.exp(0.01 * 10)) - s01;
        assertThat(sample0).isCloseTo(4.466e-5, within(5e-8));
        assertThat(sum - sample0).isCloseTo(1.630254, within(1e-6));
    }

    @Test
    void finiteDifferences() {
        INDArray f = gaussian(71, 1.0, 6, 3);
        INDArray y = vector(1.0, 1.5, 3.0, 3.2, 5.0, 1.2);
        INDArray yHat = vector(2.5, 1.0, 2.0, 4.0, 4.5, 3.5);
        INDArray w = vector(1.0, 0.5, 2.0, 1.5, 1.0, 0.8);
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 6, 3);
        double v = loss.valueAndGradient(f, y, yHat, w, grad);
        assertThat(v).isPositive();
        INDArray scratch = grad.dup();
        assertGradient("conr", x -> loss.valueAndGradient(x, y, yHat, w, scratch), f, grad, 1e-6);
    }

    @Test
    void exampleWithNegativesButNoPositivesContributesZeroInsteadOfNaN() {
        INDArray f = matrix(new double[][] {{1, 0}, {0, 1}});
        INDArray y = vector(0, 10);
        INDArray yHat = vector(5, 5.5);
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 2, 2);
        assertThat(loss.valueAndGradient(f, y, yHat, null, grad)).isEqualTo(0.0);
        assertThat(allFinite(grad)).isTrue();
    }
}
