package io.concord.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link Loss} whose value is a sum of independent per-row terms, computed by a per-row kernel over one float64 host
 * copy of the outputs and targets, with the gradient written back in one assignment. On CPU this is about ten times
 * faster than composing ND4J element-wise ops for the usual {@code [batch, classes]} shapes, where per-op overhead
 * (tens of microseconds) dominates; see {@code LossThroughputBench}.
 */
abstract class RowLoss implements Loss {

    private static final long serialVersionUID = 1L;

    @Override
    public final double valueAndGradient(INDArray outputs, INDArray targets, INDArray gradOut) {
        LossArrays.checkRowLoss(name(), outputs, targets, gradOut);
        int rows = (int) outputs.rows();
        int k = (int) outputs.columns();
        check(k);
        double[] x = LossArrays.rowMajor(outputs);
        double[] y = LossArrays.rowMajor(targets);
        double[] g = new double[x.length];
        double[] scratch = new double[scratchSize(k)];
        double value = 0.0;
        for (int i = 0; i < rows; i++) {
            value += row(x, y, g, i * k, k, i, scratch);
        }
        LossArrays.write(gradOut, g);
        return value;
    }

    /** Rejects row lengths the loss cannot handle. */
    void check(int k) {
    }

    /** Doubles of scratch space one row needs. */
    int scratchSize(int k) {
        return 0;
    }

    /**
     * The loss of row {@code row} (elements {@code [offset, offset + k)} of {@code x} and {@code y}); writes its
     * gradient into the same elements of {@code g}.
     */
    abstract double row(double[] x, double[] y, double[] g, int offset, int k, int row, double[] scratch);

    /** Softmax cross-entropy of one row scaled by {@code 1/scale} (InfoNCE's temperature; 1 for plain CE). */
    static double crossEntropyRow(double[] x, double[] y, double[] g, int offset, int k, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = offset; c < offset + k; c++) {
            max = Math.max(max, x[c] / scale);
        }
        double sum = 0.0;
        for (int c = offset; c < offset + k; c++) {
            double e = Math.exp(x[c] / scale - max);
            g[c] = e;
            sum += e;
        }
        double lse = max + Math.log(sum);
        double mass = 0.0;
        double value = 0.0;
        for (int c = offset; c < offset + k; c++) {
            mass += y[c];
            if (y[c] != 0.0) {
                value += y[c] * (lse - x[c] / scale);
            }
        }
        for (int c = offset; c < offset + k; c++) {
            g[c] = (g[c] / sum * mass - y[c]) / scale;
        }
        return value;
    }
}
