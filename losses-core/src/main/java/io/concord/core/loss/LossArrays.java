package io.concord.core.loss;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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

    /** A row-major float64 copy of a matrix or vector. */
    static double[] rowMajor(INDArray a) {
        INDArray d = asDouble(a);
        if (d.isView() || d.ordering() != 'c' || d.data().length() != d.length()) {
            d = d.dup('c');
        }
        return d.data().asDouble();
    }

    static INDArray matrix(double[] rowMajor, long rows, long cols) {
        return Nd4j.create(rowMajor, new long[] {rows, cols}, DataType.DOUBLE);
    }

    /** Row-wise log-softmax, max-shifted. Also returns the row log-partition {@code log Σ exp(x)} in {@code logZOut[0]}. */
    static INDArray logSoftmax(INDArray x, INDArray[] logZOut) {
        INDArray max = x.max(true, 1);
        INDArray shifted = x.subColumnVector(max);
        INDArray lse = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        if (logZOut != null) {
            logZOut[0] = lse.add(max);
        }
        return shifted.subiColumnVector(lse);
    }

    /** {@code log(1 + e^x)} without overflow: {@code max(x, 0) + log1p(e^{−|x|})}. */
    static INDArray softplus(INDArray x) {
        INDArray tail = Transforms.log1p(Transforms.exp(Transforms.abs(x, true).negi(), false), false);
        return Transforms.relu(x, true).addi(tail);
    }

    /** Class labels of rows that must be one-hot (exactly one entry 1, the rest 0). */
    static int[] oneHotLabels(String what, INDArray targets) {
        double[] t = rowMajor(targets);
        int rows = (int) targets.rows();
        int cols = (int) targets.columns();
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            int label = -1;
            for (int c = 0; c < cols; c++) {
                double v = t[i * cols + c];
                if (v == 1.0 && label < 0) {
                    label = c;
                } else if (v != 0.0) {
                    label = -2;
                    break;
                }
            }
            if (label < 0) {
                throw new IllegalArgumentException(what + ": targets row " + i + " is not one-hot");
            }
            labels[i] = label;
        }
        return labels;
    }

    /** Integer labels stored in a vector or a [n, 1] column. */
    static int[] integerLabels(String what, INDArray labels, long expected) {
        if (labels == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (labels.length() != expected) {
            throw new IllegalArgumentException(what + " has " + labels.length() + " entries, expected " + expected);
        }
        double[] v = rowMajor(labels.reshape(labels.length()));
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i])) {
                throw new IllegalArgumentException(what + "[" + i + "] = " + v[i] + " is not an integer label");
            }
            out[i] = (int) v[i];
        }
        return out;
    }
}
