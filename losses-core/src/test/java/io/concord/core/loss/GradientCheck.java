package io.concord.core.loss;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Central finite differences in float64 against an analytic gradient. */
final class GradientCheck {

    static final double STEP = 1e-6;

    private GradientCheck() {
    }

    /**
     * Asserts {@code analytic ≈ ∂f/∂x} element by element: {@code |fd − analytic| ≤ tol·(1 + |analytic|)}.
     * {@code x} is perturbed in place and restored.
     */
    static void assertGradient(String what, ToDoubleFunction<INDArray> f, INDArray x, INDArray analytic, double tol) {
        assertThat(x.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(analytic.shape()).isEqualTo(x.shape());
        INDArray flatX = x.reshape(x.length());
        INDArray flatG = analytic.reshape(analytic.length());
        for (long k = 0; k < x.length(); k++) {
            double original = flatX.getDouble(k);
            flatX.putScalar(k, original + STEP);
            double plus = f.applyAsDouble(x);
            flatX.putScalar(k, original - STEP);
            double minus = f.applyAsDouble(x);
            flatX.putScalar(k, original);
            double fd = (plus - minus) / (2 * STEP);
            double an = flatG.getDouble(k);
            assertThat(an).as("%s: d/dx[%d]", what, k).isCloseTo(fd, within(tol * (1.0 + Math.abs(an))));
        }
    }

    /** Checks a {@link Loss} at {@code outputs}: the returned gradient against finite differences of the value. */
    static void assertLossGradient(Loss loss, INDArray outputs, INDArray targets, double tol) {
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, outputs.shape());
        loss.valueAndGradient(outputs, targets, grad);
        INDArray scratch = Nd4j.zeros(DataType.DOUBLE, outputs.shape());
        assertGradient(loss.name(), o -> loss.valueAndGradient(o, targets, scratch), outputs, grad, tol);
    }

    static INDArray gaussian(long seed, double scale, long... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        INDArray a = Nd4j.zeros(DataType.DOUBLE, shape);
        INDArray flat = a.reshape(a.length());
        for (long k = 0; k < a.length(); k++) {
            double u1 = random.nextDouble();
            double u2 = random.nextDouble();
            flat.putScalar(k, scale * Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2));
        }
        return a;
    }

    static INDArray oneHot(int numClasses, int... labels) {
        INDArray t = Nd4j.zeros(DataType.DOUBLE, labels.length, numClasses);
        for (int i = 0; i < labels.length; i++) {
            t.putScalar(i, labels[i], 1.0);
        }
        return t;
    }

    /** Random soft target rows (positive, summing to 1). */
    static INDArray softTargets(long seed, int rows, int cols) {
        SplittableRandom random = new SplittableRandom(seed);
        INDArray t = Nd4j.zeros(DataType.DOUBLE, rows, cols);
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            double[] row = new double[cols];
            for (int c = 0; c < cols; c++) {
                row[c] = 0.05 + random.nextDouble();
                sum += row[c];
            }
            for (int c = 0; c < cols; c++) {
                t.putScalar(i, c, row[c] / sum);
            }
        }
        return t;
    }

    static boolean allFinite(INDArray a) {
        for (double v : a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector()) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    static INDArray row(double... values) {
        return Nd4j.create(values, new long[] {1, values.length}, DataType.DOUBLE);
    }

    static INDArray matrix(double[][] values) {
        return Nd4j.create(values).castTo(DataType.DOUBLE);
    }
}
