package io.concord.core.loss;

import io.concord.core.param.ParamException;
import io.concord.core.param.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Proto-Triplet loss ("SuSana Distancia is all you need", Mendez-Ruiz et al., arXiv 2305.09062; code:
 * maumruiz/FewShot-KidneyStones {@code icnn_loss.py} {@code proto_triplet_loss}): for each query, among its
 * {@code way} nearest prototypes, {@code d_pos} = the largest same-class distance (0 if none among them),
 * {@code d_neg} = the smallest other-class distance (+∞ if none); loss = {@code max(d_pos − d_neg + margin, 0)}.
 * Distances are {@code sqrt(Σ(a − b)² + 1e-6)}. The reference returns the mean over queries; this returns the sum.
 * The nearest-neighbour selection is treated as constant (piecewise differentiable).
 * Defaults: margin 0.5, way 5.
 */
public final class ProtoTripletLoss implements MetricLoss {

    private static final long serialVersionUID = 1L;

    private final int way;
    private final double margin;

    public ProtoTripletLoss(int way, double margin) {
        this.way = Checks.positive("loss.way", way);
        this.margin = Checks.nonNegative("loss.margin", margin);
    }

    @Override
    public String name() {
        return "proto-triplet";
    }

    @Override
    public double valueAndGradient(INDArray queries, int[] queryLabels, INDArray prototypes, int[] prototypeLabels,
                                   INDArray gradQueries, INDArray gradPrototypes) {
        PairwiseDistances pd = new PairwiseDistances(name(), queries, prototypes);
        PairwiseDistances.requireLabels(name() + ": queries", queryLabels, pd.n);
        PairwiseDistances.requireLabels(name() + ": prototypes", prototypeLabels, pd.m);
        if (way > pd.m) {
            throw new ParamException("loss.way", "" + way + " is not allowed; there are only " + pd.m
                    + " prototypes");
        }
        double[] gradX = new double[pd.n * pd.d];
        double[] gradT = new double[pd.m * pd.d];
        double value = 0.0;
        for (int i = 0; i < pd.n; i++) {
            int[] nearest = pd.nearest(i, way);
            int pos = -1;
            int neg = -1;
            for (int j : nearest) {
                double dist = pd.dist[i * pd.m + j];
                if (prototypeLabels[j] == queryLabels[i]) {
                    if (pos < 0 || dist > pd.dist[i * pd.m + pos]) {
                        pos = j;
                    }
                } else if (neg < 0 || dist < pd.dist[i * pd.m + neg]) {
                    neg = j;
                }
            }
            if (neg < 0) {
                continue;
            }
            double dPos = pos < 0 ? 0.0 : pd.dist[i * pd.m + pos];
            double hinge = dPos - pd.dist[i * pd.m + neg] + margin;
            if (hinge > 0.0) {
                value += hinge;
                if (pos >= 0) {
                    pd.backward(i, pos, 1.0, gradX, gradT);
                }
                pd.backward(i, neg, -1.0, gradX, gradT);
            }
        }
        pd.write(queries, prototypes, gradX, gradT, gradQueries, gradPrototypes, name());
        return value;
    }
}
