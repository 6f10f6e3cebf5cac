package io.concord.core.optim;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Fira checked against a plain re-implementation of the reference formulas written here (double precision), and its
 * projector against the top singular subspace found by power iteration.
 */
class FiraTest {

    private static final double LR = 0.05;
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-6;
    private static final double WD = 0.01;
    private static final double ALPHA = 0.5;

    private static double[] gaussian(SplittableRandom r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    /** Eigen-pairs of the symmetric matrix {@code a} (k × k) by power iteration with deflation, largest first. */
    private static double[] topEigenvalues(double[][] a, int count) {
        int k = a.length;
        double[][] m = new double[k][];
        for (int i = 0; i < k; i++) {
            m[i] = a[i].clone();
        }
        double[] values = new double[count];
        for (int c = 0; c < count; c++) {
            double[] v = new double[k];
            java.util.Arrays.fill(v, 1.0 / Math.sqrt(k));
            v[c % k] += 0.3;
            double lambda = 0;
            for (int it = 0; it < 5000; it++) {
                double[] w = new double[k];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        w[i] += m[i][j] * v[j];
                    }
                }
                double norm = 0;
                for (double x : w) {
                    norm += x * x;
                }
                norm = Math.sqrt(norm);
                lambda = norm;
                for (int i = 0; i < k; i++) {
                    v[i] = w[i] / norm;
                }
            }
            values[c] = lambda;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    m[i][j] -= lambda * v[i] * v[j];
                }
            }
        }
        return values;
    }

    @Test
    void projectorSpansTheTopSingularSubspaceWithFixedSigns() {
        SplittableRandom r = new SplittableRandom(5);
        for (int[] shape : new int[][] {{6, 4}, {3, 7}}) {
            int rows = shape[0];
            int cols = shape[1];
            int rank = 2;
            double[] g = gaussian(r, rows * cols);
            double[] p = Projector.topSingularVectors(g, rows, cols, rank);
            boolean right = rows >= cols;
            int len = right ? cols : rows;
            for (int a = 0; a < rank; a++) {
                int argMax = 0;
                for (int b = 0; b < rank; b++) {
                    double dot = 0;
                    for (int i = 0; i < len; i++) {
                        dot += at(p, a, i, right, cols, rank) * at(p, b, i, right, cols, rank);
                    }
                    assertThat(dot).isCloseTo(a == b ? 1.0 : 0.0, within(1e-10));
                }
                for (int i = 0; i < len; i++) {
                    if (Math.abs(at(p, a, i, right, cols, rank)) > Math.abs(at(p, a, argMax, right, cols, rank))) {
                        argMax = i;
                    }
                }
                assertThat(at(p, a, argMax, right, cols, rank)).isPositive();
            }
            // Energy captured = sum of the top-2 eigenvalues of GᵀG (right) or GGᵀ (left).
            double[][] gram = new double[len][len];
            for (int i = 0; i < len; i++) {
                for (int j = 0; j < len; j++) {
                    for (int k = 0; k < (right ? rows : cols); k++) {
                        gram[i][j] += right ? g[k * cols + i] * g[k * cols + j] : g[i * cols + k] * g[j * cols + k];
                    }
                }
            }
            double[] top = topEigenvalues(gram, rank);
            double[] projected = Projector.down(p, g, rows, cols, rank);
            double energy = 0;
            for (double x : projected) {
                energy += x * x;
            }
            assertThat(energy).isCloseTo(top[0] + top[1], within(1e-8 * (top[0] + top[1])));
        }
    }

    private static double at(double[] p, int vector, int i, boolean right, int cols, int rank) {
        return right ? p[vector * cols + i] : p[i * rank + vector];
    }

    @Test
    void stepsMatchAPlainImplementationOfTheReference() {
        for (int[] shape : new int[][] {{4, 3}, {3, 5}}) {
            int rows = shape[0];
            int cols = shape[1];
            int rank = shape[0] >= shape[1] ? 1 : 2;
            int extra = 3;
            int n = rows * cols + extra;
            MatrixBlock block = new MatrixBlock(extra, rows, cols);
            Fira fira = new Fira(LR, B1, B2, EPS, WD, rank, 2, ALPHA, List.of(block));
            SplittableRandom r = new SplittableRandom(rows * 31L + cols);
            float[] theta = new float[n];
            for (int i = 0; i < n; i++) {
                theta[i] = (float) r.nextGaussian();
            }
            float[] state = new float[fira.stateSize(n)];
            Reference ref = new Reference(rows, cols, rank, extra, theta);
            for (int t = 1; t <= 4; t++) {
                float[] g = new float[n];
                for (int i = 0; i < n; i++) {
                    g[i] = (float) r.nextGaussian();
                }
                fira.step(theta, g.clone(), state, t);
                int pOffset = 2 * extra;
                double[] p = new double[Projector.projectorLength(rows, cols, rank)];
                for (int i = 0; i < p.length; i++) {
                    p[i] = state[pOffset + i];
                }
                ref.step(g, p, t);
                for (int i = 0; i < n; i++) {
                    assertThat((double) theta[i]).as("shape %dx%d step %d coordinate %d", rows, cols, t, i)
                            .isCloseTo(ref.theta[i], within(2e-5 * (1 + Math.abs(ref.theta[i]))));
                }
            }
        }
    }

    /** The reference doc's formulas, written out with loops. */
    private static final class Reference {
        final int rows;
        final int cols;
        final int rank;
        final int extra;
        final double[] theta;
        final double[] mReg;
        final double[] vReg;
        final double[] mLow;
        final double[] vLow;
        double prev;

        Reference(int rows, int cols, int rank, int extra, float[] theta0) {
            this.rows = rows;
            this.cols = cols;
            this.rank = rank;
            this.extra = extra;
            this.theta = new double[theta0.length];
            for (int i = 0; i < theta0.length; i++) {
                theta[i] = theta0[i];
            }
            mReg = new double[extra];
            vReg = new double[extra];
            mLow = new double[rows * cols];
            vLow = new double[rows * cols];
        }

        void step(float[] grad, double[] p, int t) {
            double stepSize = LR * Math.sqrt(1 - Math.pow(B2, t)) / (1 - Math.pow(B1, t));
            for (int i = 0; i < extra; i++) {
                mReg[i] = B1 * mReg[i] + (1 - B1) * grad[i];
                vReg[i] = B2 * vReg[i] + (1 - B2) * grad[i] * grad[i];
                theta[i] = (theta[i] - stepSize * mReg[i] / (Math.sqrt(vReg[i]) + EPS)) * (1 - LR * WD);
            }
            boolean right = rows >= cols;
            int rr = right ? rows : rank;
            int rc = right ? rank : cols;
            double[][] g = new double[rows][cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    g[i][j] = grad[extra + i * cols + j];
                }
            }
            double[][] pm = right ? new double[rank][cols] : new double[rows][rank];
            for (int a = 0; a < pm.length; a++) {
                for (int b = 0; b < pm[0].length; b++) {
                    pm[a][b] = p[a * pm[0].length + b];
                }
            }
            double[][] low = right ? mul(g, transpose(pm)) : mul(transpose(pm), g);
            double[][] nrm = new double[rr][rc];
            for (int i = 0; i < rr; i++) {
                for (int j = 0; j < rc; j++) {
                    int k = i * rc + j;
                    mLow[k] = B1 * mLow[k] + (1 - B1) * low[i][j];
                    vLow[k] = B2 * vLow[k] + (1 - B2) * low[i][j] * low[i][j];
                    nrm[i][j] = mLow[k] / (Math.sqrt(vLow[k]) + EPS);
                }
            }
            boolean perRow = !(rr < rc);
            double[][] backLow = right ? mul(low, pm) : mul(pm, low);
            double[][] backN = right ? mul(nrm, pm) : mul(pm, nrm);
            double[][] s = new double[rows][cols];
            double sNorm = 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double num = 0;
                    double den = 0;
                    if (perRow) {
                        for (int q = 0; q < rc; q++) {
                            num += nrm[i][q] * nrm[i][q];
                            den += low[i][q] * low[i][q];
                        }
                    } else {
                        for (int q = 0; q < rr; q++) {
                            num += nrm[q][j] * nrm[q][j];
                            den += low[q][j] * low[q][j];
                        }
                    }
                    double phi = Math.sqrt(num) / (Math.sqrt(den) + 1e-8);
                    s[i][j] = (g[i][j] - ALPHA * backLow[i][j]) * phi;
                    sNorm += s[i][j] * s[i][j];
                }
            }
            sNorm = Math.sqrt(sNorm);
            double lim = 1.0;
            if (t > 1) {
                lim = Math.max(sNorm / (prev + 1e-8), 1.01) / 1.01;
            }
            prev = sNorm / lim;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    int k = extra + i * cols + j;
                    theta[k] = (theta[k] - stepSize * (ALPHA * backN[i][j] + s[i][j] / lim)) * (1 - LR * WD);
                }
            }
        }

        private static double[][] mul(double[][] a, double[][] b) {
            double[][] c = new double[a.length][b[0].length];
            for (int i = 0; i < a.length; i++) {
                for (int k = 0; k < b.length; k++) {
                    for (int j = 0; j < b[0].length; j++) {
                        c[i][j] += a[i][k] * b[k][j];
                    }
                }
            }
            return c;
        }

        private static double[][] transpose(double[][] a) {
            double[][] t = new double[a[0].length][a.length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a[0].length; j++) {
                    t[j][i] = a[i][j];
                }
            }
            return t;
        }
    }
}
