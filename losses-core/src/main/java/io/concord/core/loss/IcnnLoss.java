package io.concord.core.loss;

import java.util.Arrays;
import io.concord.core.param.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ICNN loss {@code −log(score)} of "SuSana Distancia is all you need" (Mendez-Ruiz et al., arXiv 2305.09062;
 * code: maumruiz/FewShot-KidneyStones {@code icnn_loss.py} {@code modified_score}), a neighbourhood-quality score of
 * labelled embeddings X against references T (T = X by default):
 * <pre>
 *   k = |T| − 2 if k + 2 ≥ |T|;  ipc = k + 1 if unset
 *   the ipc + 1 nearest references of each point, the first dropped (self when T = X)      → ipc neighbours
 *   SC = [same label], DC = 1 − SC
 *   nn_dc_i = min{dist_ij : DC_ij} (∞ if none);  nd = dist/(nn_dc + eps), first k columns;  nd_i ← nd_i/max(1, max_j nd_ij)
 *   sclamb = 1 − Σ_i [Σ_j nd_ij·SC_ij/(c_i + eps)] / (#{c_i &gt; 0} + eps),   c_i = Σ_{j≤k} SC_ij
 *   dcn = (dist·DC)[:, :k]/(max over all + eps);  dcop = −1 if DC[:, :k] is all zero, else 0
 *   dclamb = | Σ_i [Σ_j dcn_ij/(e_i + eps)] / (#{e_i &gt; 0} + eps) + dcop |,   e_i = Σ_{j≤k} DC_ij
 *   λ = (sclamb + dclamb)/2;  γ = mean_i(c_i/k) if k + 2 &lt; |T| else 1;  score = (λ + γ)/2
 * </pre>
 * with eps = 1e-7 and distances {@code sqrt(Σ(a − b)² + 1e-6)}. Neighbour selection, minima and maxima are treated as
 * constant index choices (the score is piecewise differentiable; γ has no gradient). Defaults: k = 4, ipc = k + 1.
 *
 * <p>The reference drops the nearest reference even when T ≠ X, where it is not the point itself but (usually) its own
 * prototype; that is kept by default for fidelity and can be switched off with {@code dropFirstNeighbour = false}.
 */
public final class IcnnLoss implements MetricLoss {

    private static final long serialVersionUID = 1L;
    private static final double EPS = 1e-7;

    private final int k;
    private final Integer ipc;
    private final boolean dropFirstNeighbour;

    /**
     * @param k                  neighbours scored per point
     * @param ipc                neighbours examined per point (images per class), or null for k + 1
     * @param dropFirstNeighbour drop the nearest reference (the point itself when references are the points)
     */
    public IcnnLoss(int k, Integer ipc, boolean dropFirstNeighbour) {
        this.k = Checks.positive("loss.k", k);
        if (ipc != null) {
            Checks.positive("loss.ipc", ipc.intValue());
        }
        this.ipc = ipc;
        this.dropFirstNeighbour = dropFirstNeighbour;
    }

    @Override
    public String name() {
        return "icnn";
    }

    /** The score in (0, 1] alone (no gradient). */
    public double score(INDArray points, int[] pointLabels, INDArray references, int[] referenceLabels) {
        return Math.exp(-valueAndGradient(points, pointLabels, references, referenceLabels, null, null));
    }

    @Override
    public double valueAndGradient(INDArray points, int[] pointLabels, INDArray references, int[] referenceLabels,
                                   INDArray gradPoints, INDArray gradReferences) {
        PairwiseDistances pd = new PairwiseDistances(name(), points, references);
        PairwiseDistances.requireLabels(name() + ": points", pointLabels, pd.n);
        PairwiseDistances.requireLabels(name() + ": references", referenceLabels, pd.m);
        int m = pd.m;
        int kk = k + 2 >= m ? m - 2 : k;
        int examined = ipc == null ? kk + 1 : ipc;
        int skip = dropFirstNeighbour ? 1 : 0;
        if (kk < 1 || examined + skip > m || examined < kk) {
            throw new IllegalArgumentException(name() + ": " + m + " references are too few for k = " + k
                    + " and ipc = " + examined + " (need ipc >= k >= 1 and ipc + " + skip + " <= references)");
        }
        int n = pd.n;
        int[][] idx = new int[n][];
        double[][] dist = new double[n][examined];
        boolean[][] same = new boolean[n][examined];
        for (int i = 0; i < n; i++) {
            int[] nearest = pd.nearest(i, examined + skip);
            idx[i] = Arrays.copyOfRange(nearest, skip, examined + skip);
            for (int j = 0; j < examined; j++) {
                dist[i][j] = pd.dist[i * m + idx[i][j]];
                same[i][j] = referenceLabels[idx[i][j]] == pointLabels[i];
            }
        }
        // Same-class term.
        int[] nearestOther = new int[n];
        double[] nnOther = new double[n];
        double[][] nd = new double[n][kk];
        double[] den = new double[n];
        int[] denArg = new int[n];
        int[] sameCount = new int[n];
        int sameNonZero = 0;
        for (int i = 0; i < n; i++) {
            nearestOther[i] = -1;
            for (int j = 0; j < examined; j++) {
                if (!same[i][j] && (nearestOther[i] < 0 || dist[i][j] < dist[i][nearestOther[i]])) {
                    nearestOther[i] = j;
                }
            }
            nnOther[i] = nearestOther[i] < 0 ? Double.POSITIVE_INFINITY : dist[i][nearestOther[i]];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < kk; j++) {
                nd[i][j] = dist[i][j] / (nnOther[i] + EPS);
                if (nd[i][j] > max) {
                    max = nd[i][j];
                    denArg[i] = j;
                }
                sameCount[i] += same[i][j] ? 1 : 0;
            }
            den[i] = Math.max(1.0, max);
            if (!(max > 1.0)) {
                denArg[i] = -1;
            }
            sameNonZero += sameCount[i] > 0 ? 1 : 0;
        }
        double sameSum = 0.0;
        for (int i = 0; i < n; i++) {
            double rowSum = 0.0;
            for (int j = 0; j < kk; j++) {
                if (same[i][j]) {
                    rowSum += nd[i][j] / den[i];
                }
            }
            sameSum += rowSum / (sameCount[i] + EPS);
        }
        double scLambda = 1.0 - sameSum / (sameNonZero + EPS);
        // Different-class term.
        double dcMax = 0.0;
        int dcArgI = -1;
        int dcArgJ = -1;
        int[] otherCount = new int[n];
        int otherNonZero = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < kk; j++) {
                if (!same[i][j]) {
                    otherCount[i]++;
                    if (dist[i][j] > dcMax) {
                        dcMax = dist[i][j];
                        dcArgI = i;
                        dcArgJ = j;
                    }
                }
            }
            otherNonZero += otherCount[i] > 0 ? 1 : 0;
        }
        double dcOffset = otherNonZero == 0 ? -1.0 : 0.0;
        double otherSum = 0.0;
        for (int i = 0; i < n; i++) {
            double rowSum = 0.0;
            for (int j = 0; j < kk; j++) {
                if (!same[i][j]) {
                    rowSum += dist[i][j] / (dcMax + EPS);
                }
            }
            otherSum += rowSum / (otherCount[i] + EPS);
        }
        double dcRaw = otherSum / (otherNonZero + EPS) + dcOffset;
        double dcLambda = Math.abs(dcRaw);
        double lambda = (scLambda + dcLambda) / 2.0;
        double gamma = 1.0;
        if (kk + 2 < m) {
            double s = 0.0;
            for (int i = 0; i < n; i++) {
                s += sameCount[i] / (double) kk;
            }
            gamma = s / n;
        }
        double score = (lambda + gamma) / 2.0;
        double value = -Math.log(score);
        if (gradPoints == null) {
            return value;
        }
        // Backward: value = −log(score), score = (λ + γ)/2, λ = (sclamb + dclamb)/2.
        double gLambda = -1.0 / score * 0.5;
        double gSc = gLambda * 0.5;
        double gDc = gLambda * 0.5 * Math.signum(dcRaw);
        double[][] gDist = new double[n][examined];
        for (int i = 0; i < n; i++) {
            double gRow = -gSc / (sameNonZero + EPS) / (sameCount[i] + EPS);
            double[] gNd = new double[kk];
            double gDen = 0.0;
            for (int j = 0; j < kk; j++) {
                if (same[i][j]) {
                    gNd[j] += gRow / den[i];
                    gDen -= gRow * nd[i][j] / (den[i] * den[i]);
                }
            }
            if (denArg[i] >= 0) {
                gNd[denArg[i]] += gDen;
            }
            if (nearestOther[i] >= 0) {
                double scale = nnOther[i] + EPS;
                double gNn = 0.0;
                for (int j = 0; j < kk; j++) {
                    gDist[i][j] += gNd[j] / scale;
                    gNn -= gNd[j] * dist[i][j] / (scale * scale);
                }
                gDist[i][nearestOther[i]] += gNn;
            }
        }
        double gDcMax = 0.0;
        for (int i = 0; i < n; i++) {
            double gRow = gDc / (otherNonZero + EPS) / (otherCount[i] + EPS);
            for (int j = 0; j < kk; j++) {
                if (!same[i][j]) {
                    gDist[i][j] += gRow / (dcMax + EPS);
                    gDcMax -= gRow * dist[i][j] / ((dcMax + EPS) * (dcMax + EPS));
                }
            }
        }
        if (dcArgI >= 0) {
            gDist[dcArgI][dcArgJ] += gDcMax;
        }
        double[] gradX = new double[n * pd.d];
        double[] gradT = new double[m * pd.d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < examined; j++) {
                pd.backward(i, idx[i][j], gDist[i][j], gradX, gradT);
            }
        }
        pd.write(points, references, gradX, gradT, gradPoints, gradReferences, name());
        return value;
    }
}
