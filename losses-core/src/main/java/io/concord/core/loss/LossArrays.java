package io.concord.core.loss;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Shape checks, float64 views and the numerically stable row primitives (log-softmax, softplus) shared by the losses.
 * Every loss computes in float64 and writes its gradient in the caller's data type through {@link INDArray#assign}.
 */
final class LossArrays {

    private LossArrays() {
    }

    /** {@code a} itself when it is already float64, otherwise a float64 copy. */
    static INDArray asDouble(INDArray a) {
        return a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE);
    }

    static void requireMatrix(String what, INDArray a) {
        if (a == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (a.rank() != 2) {
            throw new IllegalArgumentException(what + " must be a [rows, columns] matrix, got shape "
                    + Arrays.toString(a.shape()));
        }
    }

    static void requireSameShape(String what, INDArray a, String otherWhat, INDArray other) {
        if (other == null) {
            throw new IllegalArgumentException(otherWhat + " is missing");
        }
        if (!Arrays.equals(a.shape(), other.shape())) {
            throw new IllegalArgumentException(otherWhat + " has shape " + Arrays.toString(other.shape()) + " but "
                    + what + " has shape " + Arrays.toString(a.shape()));
        }
    }

    /** The checks every {@link Loss} over (outputs, targets) rows makes. */
    static void checkRowLoss(String loss, INDArray outputs, INDArray targets, INDArray gradOut) {
        requireMatrix(loss + ": outputs", outputs);
        requireSameShape(loss + ": outputs", outputs, loss + ": targets", targets);
        requireSameShape(loss + ": outputs", outputs, loss + ": gradOut", gradOut);
    }

    /**
     * A row-major float64 copy of a matrix or vector. Float arrays are read with {@code asFloat} and widened here:
     * ND4J's {@code asDouble} on a float buffer goes element by element and costs about twenty times more.
     */
    static double[] rowMajor(INDArray a) {
        INDArray c = contiguous(a) ? a : a.dup('c');
        switch (c.dataType()) {
            case DOUBLE:
                return c.data().asDouble();
            case FLOAT: {
                float[] f = c.data().asFloat();
                double[] out = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    out[i] = f[i];
                }
                return out;
            }
            default:
                return c.castTo(DataType.DOUBLE).data().asDouble();
        }
    }

    /** Overwrites {@code out} with row-major {@code values}, in {@code out}'s data type. */
    static void write(INDArray out, double[] values) {
        if (values.length != out.length()) {
            throw new IllegalStateException("writing " + values.length + " values into an array of " + out.length());
        }
        if (contiguous(out) && out.dataType() == DataType.DOUBLE) {
            out.data().setData(values);
        } else if (contiguous(out) && out.dataType() == DataType.FLOAT) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            out.data().setData(f);
        } else {
            out.assign(Nd4j.create(values, out.shape(), DataType.DOUBLE));
        }
    }

    private static boolean contiguous(INDArray a) {
        return !a.isView() && a.ordering() == 'c' && a.data().length() == a.length();
    }

    static INDArray matrix(double[] rowMajor, long rows, long cols) {
        return Nd4j.create(rowMajor, new long[] {rows, cols}, DataType.DOUBLE);
    }

    /** Row-normalises a row-major {@code rows × d} matrix; writes the row norms (floored at 1e-12) into {@code norms}. */
    static double[] unitRows(double[] a, int rows, int d, double[] norms) {
        double[] unit = new double[a.length];
        for (int i = 0; i < rows; i++) {
            double s = 0.0;
            for (int c = 0; c < d; c++) {
                s += a[i * d + c] * a[i * d + c];
            }
            norms[i] = Math.max(Math.sqrt(s), 1e-12);
            for (int c = 0; c < d; c++) {
                unit[i * d + c] = a[i * d + c] / norms[i];
            }
        }
        return unit;
    }

    /** Gradient through {@code x̂ = x/‖x‖} per row: {@code (v − x̂(x̂·v))/‖x‖}, in place on {@code gradUnit}. */
    static double[] sphereBackward(double[] gradUnit, double[] unit, double[] norms, int rows, int d) {
        for (int i = 0; i < rows; i++) {
            double radial = 0.0;
            for (int c = 0; c < d; c++) {
                radial += gradUnit[i * d + c] * unit[i * d + c];
            }
            for (int c = 0; c < d; c++) {
                gradUnit[i * d + c] = (gradUnit[i * d + c] - radial * unit[i * d + c]) / norms[i];
            }
        }
        return gradUnit;
    }

    /** {@code a·b} ({@code transposeB}: {@code a·bᵀ}; {@code transposeA}: {@code aᵀ·b}) with ND4J's BLAS. */
    static double[] mmul(double[] a, int aRows, int aCols, boolean transposeA, double[] b, int bRows, int bCols,
                         boolean transposeB) {
        INDArray left = matrix(a, aRows, aCols);
        INDArray right = matrix(b, bRows, bCols);
        INDArray product = (transposeA ? left.transpose() : left).mmul(transposeB ? right.transpose() : right);
        return product.dup('c').data().asDouble();
    }
}
