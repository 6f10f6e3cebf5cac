package io.concord.core.optim;

import io.concord.core.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Svd;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * GaLore-style projections of an {@code m × n} gradient G on the 'std' side (Fira {@code gradient_projection.py},
 * FRUGAL {@code galore_projector.py}): for {@code m ≥ n} the right side, {@code P} is {@code r × n} with orthonormal
 * rows, {@code R = G·Pᵀ} ({@code m × r}), {@code up(X) = X·P}; otherwise the left side, {@code P} is {@code m × r} with
 * orthonormal columns, {@code R = Pᵀ·G} ({@code r × n}), {@code up(X) = P·X}. Matrices are row-major double arrays.
 */
final class Projector {

    private Projector() {
    }

    static boolean rightSide(int rows, int cols) {
        return rows >= cols;
    }

    /** Length of P. */
    static int projectorLength(int rows, int cols, int rank) {
        return rightSide(rows, cols) ? rank * cols : rows * rank;
    }

    /** Rows and columns of R. */
    static int[] projectedShape(int rows, int cols, int rank) {
        return rightSide(rows, cols) ? new int[] {rows, rank} : new int[] {rank, cols};
    }

    /**
     * The top-{@code rank} singular vectors of G on the projection side (ND4J's SVD, float64). Each vector's sign is
     * fixed so that its largest-magnitude entry is positive: SVD signs are otherwise arbitrary, and P must come out
     * the same wherever it is computed.
     */
    static double[] topSingularVectors(double[] g, int rows, int cols, int rank) {
        int k = Math.min(rows, cols);
        INDArray a = Nd4j.create(g, new long[] {rows, cols}, DataType.DOUBLE);
        INDArray s = Nd4j.create(DataType.DOUBLE, k);
        INDArray u = Nd4j.create(DataType.DOUBLE, rows, k);
        INDArray v = Nd4j.create(DataType.DOUBLE, cols, k);
        Nd4j.exec(new Svd(a, false, s, u, v));
        boolean right = rightSide(rows, cols);
        double[] p = new double[projectorLength(rows, cols, rank)];
        for (int r = 0; r < rank; r++) {
            INDArray vec = right ? v.getColumn(r) : u.getColumn(r);
            int len = right ? cols : rows;
            double[] x = new double[len];
            int argMax = 0;
            for (int i = 0; i < len; i++) {
                x[i] = vec.getDouble(i);
                if (Math.abs(x[i]) > Math.abs(x[argMax])) {
                    argMax = i;
                }
            }
            double sign = x[argMax] < 0 ? -1.0 : 1.0;
            for (int i = 0; i < len; i++) {
                if (right) {
                    p[r * cols + i] = sign * x[i];
                } else {
                    p[i * rank + r] = sign * x[i];
                }
            }
        }
        return p;
    }

    /** A random P with orthonormal vectors (Gaussian, then modified Gram–Schmidt), drawn from {@code random}. */
    static double[] randomOrthonormal(SplittableRandom random, int rows, int cols, int rank) {
        boolean right = rightSide(rows, cols);
        int len = right ? cols : rows;
        double[][] basis = new double[rank][len];
        for (int r = 0; r < rank; r++) {
            double[] x = basis[r];
            double norm;
            do {
                for (int i = 0; i < len; i++) {
                    x[i] = Seeds.gaussian(random);
                }
                for (int q = 0; q < r; q++) {
                    double dot = 0.0;
                    for (int i = 0; i < len; i++) {
                        dot += x[i] * basis[q][i];
                    }
                    for (int i = 0; i < len; i++) {
                        x[i] -= dot * basis[q][i];
                    }
                }
                norm = 0.0;
                for (double xi : x) {
                    norm += xi * xi;
                }
                norm = Math.sqrt(norm);
            } while (norm < 1e-8);
            for (int i = 0; i < len; i++) {
                x[i] /= norm;
            }
        }
        return layout(basis, rows, cols, rank);
    }

    /** P selecting {@code rank} random coordinates (rows of a random permutation matrix; FRUGAL's 'randperm'). */
    static double[] randomCoordinates(SplittableRandom random, int rows, int cols, int rank) {
        boolean right = rightSide(rows, cols);
        int len = right ? cols : rows;
        int[] perm = Seeds.permutation(len, random);
        double[][] basis = new double[rank][len];
        for (int r = 0; r < rank; r++) {
            basis[r][perm[r]] = 1.0;
        }
        return layout(basis, rows, cols, rank);
    }

    private static double[] layout(double[][] basis, int rows, int cols, int rank) {
        boolean right = rightSide(rows, cols);
        double[] p = new double[projectorLength(rows, cols, rank)];
        for (int r = 0; r < rank; r++) {
            for (int i = 0; i < basis[r].length; i++) {
                if (right) {
                    p[r * cols + i] = basis[r][i];
                } else {
                    p[i * rank + r] = basis[r][i];
                }
            }
        }
        return p;
    }

    /** {@code R = down(G)}. */
    static double[] down(double[] p, double[] g, int rows, int cols, int rank) {
        if (rank == 0) {
            return new double[0];
        }
        INDArray gm = Nd4j.create(g, new long[] {rows, cols}, DataType.DOUBLE);
        INDArray r = rightSide(rows, cols)
                ? gm.mmul(Nd4j.create(p, new long[] {rank, cols}, DataType.DOUBLE).transpose())
                : Nd4j.create(p, new long[] {rows, rank}, DataType.DOUBLE).transpose().mmul(gm);
        return r.dup('c').data().asDouble();
    }

    /** {@code up(X)}, an {@code m × n} matrix. */
    static double[] up(double[] p, double[] x, int rows, int cols, int rank) {
        if (rank == 0) {
            return new double[rows * cols];
        }
        int[] shape = projectedShape(rows, cols, rank);
        INDArray xm = Nd4j.create(x, new long[] {shape[0], shape[1]}, DataType.DOUBLE);
        INDArray out = rightSide(rows, cols)
                ? xm.mmul(Nd4j.create(p, new long[] {rank, cols}, DataType.DOUBLE))
                : Nd4j.create(p, new long[] {rows, rank}, DataType.DOUBLE).mmul(xm);
        return out.dup('c').data().asDouble();
    }
}
