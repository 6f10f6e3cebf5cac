package io.concord.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Euclidean distances between embedded points as the few-shot reference code computes them,
 * {@code dist(a, b) = sqrt(Σ(a − b)² + 1e-6)}, with their nearest-neighbour order and the backward pass to coordinates.
 */
final class PairwiseDistances {

    static final double EPS = 1e-6;

    final int n;
    final int m;
    final int d;
    final double[] x;
    final double[] t;
    /** {@code dist[i·m + j]}. */
    final double[] dist;

    PairwiseDistances(String what, INDArray points, INDArray references) {
        LossArrays.requireMatrix(what + ": points", points);
        LossArrays.requireMatrix(what + ": references", references);
        if (points.columns() != references.columns()) {
            throw new IllegalArgumentException(what + ": points have dimension " + points.columns()
                    + " but references have " + references.columns());
        }
        n = (int) points.rows();
        m = (int) references.rows();
        d = (int) points.columns();
        x = LossArrays.rowMajor(points);
        t = points == references ? x : LossArrays.rowMajor(references);
        dist = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0.0;
                for (int c = 0; c < d; c++) {
                    double diff = x[i * d + c] - t[j * d + c];
                    s += diff * diff;
                }
                dist[i * m + j] = Math.sqrt(s + EPS);
            }
        }
    }

    /**
     * Indices of the {@code count} nearest references of point i, nearest first, ties by index (insertion into a
     * sorted buffer: O(m·count), the counts here are small).
     */
    int[] nearest(int i, int count) {
        int[] out = new int[count];
        double[] best = new double[count];
        int size = 0;
        for (int j = 0; j < m; j++) {
            double dj = dist[i * m + j];
            if (size == count && dj >= best[count - 1]) {
                continue;
            }
            int pos = size < count ? size : count - 1;
            while (pos > 0 && best[pos - 1] > dj) {
                if (pos < count) {
                    best[pos] = best[pos - 1];
                    out[pos] = out[pos - 1];
                }
                pos--;
            }
            best[pos] = dj;
            out[pos] = j;
            if (size < count) {
                size++;
            }
        }
        return out;
    }

    /** Adds {@code g·∂dist(i, j)} to the coordinate gradients. */
    void backward(int i, int j, double g, double[] gradX, double[] gradT) {
        if (g == 0.0) {
            return;
        }
        double scale = g / dist[i * m + j];
        for (int c = 0; c < d; c++) {
            double diff = (x[i * d + c] - t[j * d + c]) * scale;
            gradX[i * d + c] += diff;
            gradT[j * d + c] -= diff;
        }
    }

    static void requireLabels(String what, int[] labels, int expected) {
        if (labels == null || labels.length != expected) {
            throw new IllegalArgumentException(what + " has " + (labels == null ? "no" : labels.length)
                    + " labels, expected " + expected);
        }
    }

    /** Writes the coordinate gradients into the caller's arrays (merged when points and references are one array). */
    void write(INDArray points, INDArray references, double[] gradX, double[] gradT, INDArray gradPoints,
               INDArray gradReferences, String what) {
        LossArrays.requireSameShape(what + ": points", points, what + ": gradPoints", gradPoints);
        if (points == references) {
            for (int k = 0; k < gradX.length; k++) {
                gradX[k] += gradT[k];
            }
        } else {
            LossArrays.requireSameShape(what + ": references", references, what + ": gradReferences", gradReferences);
            LossArrays.write(gradReferences, gradT);
        }
        LossArrays.write(gradPoints, gradX);
    }
}
