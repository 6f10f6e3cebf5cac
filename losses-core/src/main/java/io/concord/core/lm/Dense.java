package io.concord.core.lm;

/**
 * Row-major dense products on flat double arrays, with the innermost loop over contiguous memory so the JIT can
 * vectorise it. Matrices are given as (array, offset, rows, columns).
 */
final class Dense {

    private Dense() {
    }

    /** {@code C[rows × n] += A[rows × k] · W[k × n]} with W starting at {@code wOff}. */
    static void mulAdd(double[] a, int rows, int k, double[] w, int wOff, int n, double[] c) {
        for (int b = 0; b < rows; b++) {
            int cBase = b * n;
            int aBase = b * k;
            for (int kk = 0; kk < k; kk++) {
                double av = a[aBase + kk];
                if (av == 0.0) {
                    continue;
                }
                int wBase = wOff + kk * n;
                for (int j = 0; j < n; j++) {
                    c[cBase + j] += av * w[wBase + j];
                }
            }
        }
    }

    /** {@code G[k × n] (at gOff) += A[rows × k]ᵀ · D[rows × n]}. */
    static void transposeMulAdd(double[] a, int rows, int k, double[] d, int n, double[] g, int gOff) {
        for (int b = 0; b < rows; b++) {
            int aBase = b * k;
            int dBase = b * n;
            for (int kk = 0; kk < k; kk++) {
                double av = a[aBase + kk];
                if (av == 0.0) {
                    continue;
                }
                int gBase = gOff + kk * n;
                for (int j = 0; j < n; j++) {
                    g[gBase + j] += av * d[dBase + j];
                }
            }
        }
    }

    /** {@code Out[rows × k] += D[rows × n] · W[k × n]ᵀ} with W starting at {@code wOff}. */
    static void mulTransposeAdd(double[] d, int rows, int n, double[] w, int wOff, int k, double[] out) {
        for (int b = 0; b < rows; b++) {
            int dBase = b * n;
            int oBase = b * k;
            for (int kk = 0; kk < k; kk++) {
                int wBase = wOff + kk * n;
                double acc = 0.0;
                for (int j = 0; j < n; j++) {
                    acc += d[dBase + j] * w[wBase + j];
                }
                out[oBase + kk] += acc;
            }
        }
    }
}
