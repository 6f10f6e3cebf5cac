package io.concord.core.calib;

import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class UgclLossFunctionTest {

    private static final int N = 4;

    private final UgclLossFunction fn = new UgclLossFunction(
            UgclLossConfig.withConstraints(CalibFixtures.W, CalibFixtures.H, 2.0)
                    .withPenalty(SupervisedPenalty.HUBER, 0.2), CalibFixtures.scaling());

    private static INDArray labels() {
        SplittableRandom r = new SplittableRandom(21);
        double[][] rows = new double[N][];
        for (int i = 0; i < N; i++) {
            rows[i] = CalibFixtures.scaling().normalize(CalibFixtures.randomPhysical(r));
        }
        return Nd4j.createFromArray(rows);
    }

    private static INDArray preOutput() {
        SplittableRandom r = new SplittableRandom(22);
        double[][] rows = new double[N][CalibParam.COUNT];
        for (double[] row : rows) {
            for (int k = 0; k < row.length; k++) {
                row[k] = 1.6 * (r.nextDouble() - 0.5);
            }
        }
        return Nd4j.createFromArray(rows);
    }

    @Test
    void gradientThroughANonIdentityActivationMatchesCentralDifferences() {
        IActivation tanh = Activation.TANH.getActivationFunction();
        INDArray labels = labels();
        INDArray pre = preOutput();
        INDArray grad = fn.computeGradient(labels, pre, tanh, null);
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < CalibParam.COUNT; k++) {
                double h = 1e-6;
                INDArray plus = pre.dup();
                INDArray minus = pre.dup();
                plus.putScalar(i, k, pre.getDouble(i, k) + h);
                minus.putScalar(i, k, pre.getDouble(i, k) - h);
                double fd = (fn.computeScore(labels, plus, tanh, null, false)
                        - fn.computeScore(labels, minus, tanh, null, false)) / (2 * h);
                assertThat(grad.getDouble(i, k)).isCloseTo(fd, within(1e-6 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    @Test
    void scoresArePerExampleAndAveragedOnRequest() {
        IActivation identity = Activation.IDENTITY.getActivationFunction();
        INDArray labels = labels();
        INDArray pre = preOutput();
        INDArray scores = fn.computeScoreArray(labels, pre, identity, null);
        assertThat(scores.shape()).containsExactly(N, 1);
        double[] y = pre.getRow(1).toDoubleVector();
        assertThat(scores.getDouble(1, 0)).isEqualTo(fn.loss().value(y, labels.getRow(1).toDoubleVector(), null,
                null));
        double sum = scores.sumNumber().doubleValue();
        assertThat(fn.computeScore(labels, pre, identity, null, false)).isCloseTo(sum, within(1e-12));
        assertThat(fn.computeScore(labels, pre, identity, null, true)).isCloseTo(sum / N, within(1e-12));
        Pair<Double, INDArray> both = fn.computeGradientAndScore(labels, pre, identity, null, true);
        assertThat(both.getFirst()).isCloseTo(sum / N, within(1e-12));
        assertThat(both.getSecond()).isEqualTo(fn.computeGradient(labels, pre, identity, null));
    }

    @Test
    void perExampleMaskRemovesAnExampleAndPerOutputMasksAreRejected() {
        IActivation identity = Activation.IDENTITY.getActivationFunction();
        INDArray labels = labels();
        INDArray pre = preOutput();
        INDArray mask = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}, {1}});
        INDArray scores = fn.computeScoreArray(labels, pre, identity, mask);
        INDArray unmasked = fn.computeScoreArray(labels, pre, identity, null);
        assertThat(scores.getDouble(1, 0)).isZero();
        assertThat(scores.getDouble(2, 0)).isEqualTo(unmasked.getDouble(2, 0));
        INDArray grad = fn.computeGradient(labels, pre, identity, mask);
        assertThat(grad.getRow(1).norm1Number().doubleValue()).isZero();
        assertThat(grad.getRow(2).norm1Number().doubleValue()).isPositive();
        assertThatThrownBy(() -> fn.computeScoreArray(labels, pre, identity, Nd4j.ones(DataType.DOUBLE, N, 10)))
                .hasMessageContaining("per-example masks");
    }

    @Test
    void worksInFloatAndRejectsWrongShapes() {
        IActivation identity = Activation.IDENTITY.getActivationFunction();
        INDArray grad = fn.computeGradient(labels().castTo(DataType.FLOAT), preOutput().castTo(DataType.FLOAT),
                identity, null);
        assertThat(grad.dataType()).isEqualTo(DataType.FLOAT);
        INDArray expected = fn.computeGradient(labels(), preOutput(), identity, null);
        assertThat(grad.castTo(DataType.DOUBLE).sub(expected).norm2Number().doubleValue()).isLessThan(1e-4);
        assertThatThrownBy(() -> fn.computeGradient(Nd4j.zeros(2, 9), Nd4j.zeros(2, 9), identity, null))
                .hasMessageContaining("[n, 10]");
    }
}
