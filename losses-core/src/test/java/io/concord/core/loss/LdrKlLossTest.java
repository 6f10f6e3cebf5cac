package io.concord.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.concord.core.loss.GradientCheck.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LdrKlLossTest {

    private static double value(Loss loss, INDArray x, INDArray y) {
        return loss.valueAndGradient(x, y, Nd4j.zeros(DataType.DOUBLE, x.shape()));
    }

    /** d_j = c(1 − y_j) + s_j − s_y with s = softplus(x)/mean(softplus(x)), computed independently of the loss. */
    private static double[] margins(double[] x, int label, double c) {
        double[] s = new double[x.length];
        double mean = 0;
        for (int j = 0; j < x.length; j++) {
            s[j] = Math.log1p(Math.exp(x[j]));
            mean += s[j] / x.length;
        }
        double[] d = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            d[j] = (j == label ? 0 : c) + s[j] / mean - s[label] / mean;
        }
        return d;
    }

    @Test
    void referenceVectors() {
        INDArray x = row(2, 1, 0);
        INDArray y = oneHot(3, 0);
        assertThat(value(new LdrKlLoss(0.1, 0.1), x, y)).isCloseTo(-0.109115, within(1e-6));
        assertThat(value(new LdrKlLoss(0.1, 1.0), x, y)).isCloseTo(-0.404138, within(1e-6));
        assertThat(value(new LdrKlLoss(0.1, 10.0), x, y)).isCloseTo(-0.469688, within(1e-6));
    }

    @Test
    void limitsInLambda() {
        double[] raw = {0.3, -1.2, 2.0, 0.7};
        double[] d = margins(raw, 2, 0.1);
        double mean = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : d) {
            mean += v / d.length;
            max = Math.max(max, v);
        }
        INDArray x = row(raw);
        INDArray y = oneHot(4, 2);
        assertThat(value(new LdrKlLoss(0.1, 1e7), x, y)).as("λ → ∞: mean of d").isCloseTo(mean, within(1e-6));
        assertThat(value(new LdrKlLoss(0.1, 1e-3), x, y)).as("λ → 0: max of d")
                .isCloseTo(max, within(1e-3 * Math.log(4) + 1e-9));
    }

    @Test
    void finiteDifferences() {
        INDArray x = gaussian(41, 1.5, 5, 4);
        for (double lambda : new double[] {0.1, 1.0, 10.0}) {
            assertLossGradient(new LdrKlLoss(0.1, lambda), x, oneHot(4, 0, 1, 2, 3, 1), 1e-6);
            assertLossGradient(new LdrKlLoss(2.0, lambda), x, softTargets(42, 5, 4), 1e-6);
        }
    }
}
