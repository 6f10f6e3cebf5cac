package io.concord.core.loss;

import io.concord.core.util.Seeds;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EnsLossTest {

    @Test
    void referenceVector() {
        double[] s = {-1, 0.5, 2};
        double[] g = EnsLoss.derivatives(s, new double[] {0.3, -1, 0}, 0.0);
        assertThat(g).containsExactly(new double[] {-1.000001, -1.000001, -0.183941}, within(1e-6));
        double mean = 0;
        for (int i = 0; i < 3; i++) {
            mean += g[i] * s[i] / 3;
        }
        assertThat(mean).isCloseTo(0.044040, within(1e-6));
    }

    @Test
    void valueAndGradientUseTheSeededStream() {
        double[] f = {0.4, -2.0, 1.5, 0.1, -0.3};
        double[] t = {1, 0, 1, 1, 0};
        INDArray outputs = Nd4j.create(f, new long[] {5, 1}, DataType.DOUBLE);
        INDArray targets = Nd4j.create(t, new long[] {5, 1}, DataType.DOUBLE);
        INDArray grad = Nd4j.zeros(DataType.FLOAT, 5, 1);
        EnsLoss loss = new EnsLoss(0.0);
        double v = loss.valueAndGradient(outputs, targets, grad, Seeds.stream(7, 3, 0));

        SplittableRandom replay = Seeds.stream(7, 3, 0);
        double[] z = new double[5];
        double[] margins = new double[5];
        for (int i = 0; i < 5; i++) {
            z[i] = Seeds.gaussian(replay);
            margins[i] = f[i] * (2 * t[i] - 1);
        }
        double[] g = EnsLoss.derivatives(margins, z, 0.0);
        double expected = 0;
        for (int i = 0; i < 5; i++) {
            expected += g[i] * margins[i];
            assertThat(grad.getDouble(i, 0)).isCloseTo(g[i] * (2 * t[i] - 1), within(1e-7));
        }
        assertThat(v).isCloseTo(expected, within(1e-12));
        INDArray again = Nd4j.zeros(DataType.FLOAT, 5, 1);
        assertThat(loss.valueAndGradient(outputs, targets, again, Seeds.stream(7, 3, 0))).isEqualTo(v);
        assertThat(loss.valueAndGradient(outputs, targets, again, Seeds.stream(7, 4, 0))).isNotEqualTo(v);
    }

    @Test
    void derivativesAreMonotoneNegativeAndBounded() {
        SplittableRandom random = new SplittableRandom(11);
        for (double lambda : new double[] {0.0, 0.5, -0.3}) {
            for (int trial = 0; trial < 50; trial++) {
                int n = 1 + random.nextInt(40);
                double[] s = new double[n];
                double[] z = new double[n];
                for (int i = 0; i < n; i++) {
                    s[i] = 6 * (random.nextDouble() - 0.5);
                    z[i] = Seeds.gaussian(random);
                }
                double[] g = EnsLoss.derivatives(s, z, lambda);
                Integer[] order = new Integer[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                    assertThat(g[i]).isBetween(-1.0 - 1e-6, -1e-6);
                }
                Arrays.sort(order, (a, b) -> Double.compare(s[a], s[b]));
                for (int r = 1; r < n; r++) {
                    assertThat(g[order[r]]).isGreaterThanOrEqualTo(g[order[r - 1]]);
                }
            }
        }
    }

    @Test
    void rejectsNonBinaryTargets() {
        INDArray outputs = Nd4j.zeros(DataType.DOUBLE, 2, 1);
        INDArray targets = Nd4j.create(new double[] {1, 2}, new long[] {2, 1}, DataType.DOUBLE);
        assertThatThrownBy(() -> new EnsLoss(0).valueAndGradient(outputs, targets, outputs.dup(),
                new SplittableRandom(1))).hasMessage("ensloss: target 1 is 2.0; must be 0 or 1");
    }
}
