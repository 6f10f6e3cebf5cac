package io.concord.core.ultragcn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A deliberately naive double-precision re-statement of the official objective (reference §1), written from the
 * formulas, not from the production code: dense co-occurrence matrix, β from degrees, sums in the official order.
 */
final class ReferenceObjective {

    final int numUsers;
    final int numItems;
    final int dim;
    final UltraGcnObjective obj;
    final double[] betaU;
    final double[] betaI;
    final int[][] nbIds;
    final double[][] nbW;

    ReferenceObjective(boolean[][] train, UltraGcnObjective obj) {
        this.numUsers = train.length;
        this.numItems = train[0].length;
        this.dim = obj.embeddingDim();
        this.obj = obj;
        betaU = new double[numUsers];
        betaI = new double[numItems];
        for (int u = 0; u < numUsers; u++) {
            int d = 0;
            for (int i = 0; i < numItems; i++) {
                d += train[u][i] ? 1 : 0;
            }
            betaU[u] = d == 0 ? 0 : Math.sqrt(d + 1.0) / d;
        }
        for (int i = 0; i < numItems; i++) {
            int d = 0;
            for (int u = 0; u < numUsers; u++) {
                d += train[u][i] ? 1 : 0;
            }
            betaI[i] = 1.0 / Math.sqrt(d + 1.0);
        }
        double[][] omega = denseOmega(train);
        int k = obj.iiNeighborNum();
        nbIds = new int[numItems][k];
        nbW = new double[numItems][k];
        for (int i = 0; i < numItems; i++) {
            final double[] row = omega[i];
            List<Integer> order = new ArrayList<>();
            for (int j = 0; j < numItems; j++) {
                order.add(j);
            }
            order.sort(Comparator.<Integer>comparingDouble(j -> -row[j]).thenComparingInt(j -> j));
            for (int n = 0; n < k; n++) {
                nbIds[i][n] = order.get(n);
                nbW[i][n] = row[order.get(n)];
            }
        }
    }

    /** ω(i,j) = G_ij · sqrt(g_i+1)/g_i · 1/sqrt(g_j+1) with G = AᵀA (diagonal kept); 0 rows for g_i = 0. */
    static double[][] denseOmega(boolean[][] train) {
        int nu = train.length;
        int ni = train[0].length;
        double[][] g = new double[ni][ni];
        for (int u = 0; u < nu; u++) {
            for (int i = 0; i < ni; i++) {
                for (int j = 0; j < ni; j++) {
                    if (train[u][i] && train[u][j]) {
                        g[i][j] += 1;
                    }
                }
            }
        }
        double[] rowSum = new double[ni];
        for (int i = 0; i < ni; i++) {
            for (int j = 0; j < ni; j++) {
                rowSum[i] += g[i][j];
            }
        }
        double[][] omega = new double[ni][ni];
        for (int i = 0; i < ni; i++) {
            for (int j = 0; j < ni; j++) {
                omega[i][j] = rowSum[i] == 0 ? 0
                        : g[i][j] * Math.sqrt(rowSum[i] + 1) / rowSum[i] / Math.sqrt(rowSum[j] + 1);
            }
        }
        return omega;
    }

    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    double score(double[] p, int u, int i) {
        double s = 0;
        for (int k = 0; k < dim; k++) {
            s += p[u * dim + k] * p[(numUsers + i) * dim + k];
        }
        return s;
    }

    /** Batch loss plus γ·½‖θ‖², for given negatives (row-major batch × R). */
    double loss(double[] p, int[] users, int[] items, int[] negatives) {
        int r = obj.negativeNum();
        double total = 0;
        for (int b = 0; b < users.length; b++) {
            int u = users[b];
            int i = items[b];
            double posW = obj.w2() > 0 ? obj.w1() + obj.w2() * betaU[u] * betaI[i] : obj.w1();
            double term = posW * softplus(-score(p, u, i));
            double neg = 0;
            for (int t = 0; t < r; t++) {
                int j = negatives[b * r + t];
                double negW = obj.w4() > 0 ? obj.w3() + obj.w4() * betaU[u] * betaI[j] : obj.w3();
                neg += negW * softplus(score(p, u, j));
            }
            term += obj.negativeWeight() * neg / r;
            double ii = 0;
            for (int n = 0; n < obj.iiNeighborNum(); n++) {
                ii += nbW[i][n] * softplus(-score(p, u, nbIds[i][n]));
            }
            total += term + obj.lambda() * ii;
        }
        double sq = 0;
        for (double x : p) {
            sq += x * x;
        }
        return total + obj.gamma() * 0.5 * sq;
    }
}
