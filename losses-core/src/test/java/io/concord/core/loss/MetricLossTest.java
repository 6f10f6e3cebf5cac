package io.concord.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.concord.core.loss.GradientCheck.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricLossTest {

    @Test
    void protoTripletHandComputed() {
        INDArray q = matrix(new double[][] {{0, 0}});
        INDArray protos = matrix(new double[][] {{1, 0}, {0, 2}, {3, 0}});
        int[] protoLabels = {0, 1, 2};
        INDArray gq = Nd4j.zeros(DataType.DOUBLE, 1, 2);
        INDArray gp = Nd4j.zeros(DataType.DOUBLE, 3, 2);
        assertThat(new ProtoTripletLoss(3, 0.5).valueAndGradient(q, new int[] {0}, protos, protoLabels, gq, gp))
                .isEqualTo(0.0);
        double v = new ProtoTripletLoss(3, 1.5).valueAndGradient(q, new int[] {0}, protos, protoLabels, gq, gp);
        assertThat(v).isCloseTo(Math.sqrt(1 + 1e-6) - Math.sqrt(4 + 1e-6) + 1.5, within(1e-12));
        // d_pos pulls the query towards its prototype (+x), d_neg pushes it away from (0, 2) (−y).
        assertThat(gq.toDoubleVector()).containsExactly(new double[] {-1 / Math.sqrt(1 + 1e-6),
                2 / Math.sqrt(4 + 1e-6)}, within(1e-12));
    }

    @Test
    void protoTripletFiniteDifferences() {
        ProtoTripletLoss loss = new ProtoTripletLoss(3, 2.0);
        INDArray q = gaussian(101, 1.0, 6, 3);
        INDArray p = gaussian(102, 1.0, 4, 3);
        int[] ql = {0, 1, 2, 3, 0, 1};
        int[] pl = {0, 1, 2, 3};
        INDArray gq = Nd4j.zeros(DataType.DOUBLE, 6, 3);
        INDArray gp = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        assertThat(loss.valueAndGradient(q, ql, p, pl, gq, gp)).isPositive();
        INDArray s1 = gq.dup();
        INDArray s2 = gp.dup();
        assertGradient("queries", x -> loss.valueAndGradient(x, ql, p, pl, s1, s2), q, gq, 1e-6);
        assertGradient("prototypes", x -> loss.valueAndGradient(q, ql, x, pl, s1, s2), p, gp, 1e-6);
    }

    private static INDArray clusters(double spread, long seed) {
        INDArray x = gaussian(seed, spread, 12, 2);
        for (int i = 0; i < 12; i++) {
            x.putScalar(i, 0, x.getDouble(i, 0) + (i < 6 ? -10 : 10));
        }
        return x;
    }

    @Test
    void icnnScoreRewardsTightSeparatedClusters() {
        IcnnLoss loss = new IcnnLoss(4, null, true);
        INDArray x = clusters(0.1, 103);
        int[] labels = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
        double good = loss.score(x, labels, x, labels);
        assertThat(good).isGreaterThan(0.95).isLessThanOrEqualTo(1.0);
        int[] swapped = {0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0};
        double bad = loss.score(x, swapped, x, swapped);
        assertThat(bad).isLessThan(good - 0.3);
    }

    @Test
    void icnnFiniteDifferencesSelfAndAgainstReferences() {
        IcnnLoss self = new IcnnLoss(3, null, true);
        INDArray x = gaussian(104, 1.0, 9, 2);
        int[] labels = {0, 0, 0, 1, 1, 1, 2, 2, 2};
        INDArray gx = Nd4j.zeros(DataType.DOUBLE, 9, 2);
        double v = self.valueAndGradient(x, labels, x, labels, gx, null);
        assertThat(v).isPositive();
        INDArray scratch = gx.dup();
        assertGradient("icnn self", p -> self.valueAndGradient(p, labels, p, labels, scratch, null), x, gx, 1e-5);

        IcnnLoss cross = new IcnnLoss(2, 3, false);
        INDArray q = gaussian(105, 1.0, 5, 2);
        int[] ql = {0, 1, 2, 0, 1};
        INDArray gq = Nd4j.zeros(DataType.DOUBLE, 5, 2);
        INDArray gt = Nd4j.zeros(DataType.DOUBLE, 9, 2);
        cross.valueAndGradient(q, ql, x, labels, gq, gt);
        INDArray s1 = gq.dup();
        INDArray s2 = gt.dup();
        assertGradient("icnn queries", p -> cross.valueAndGradient(p, ql, x, labels, s1, s2), q, gq, 1e-5);
        assertGradient("icnn references", p -> cross.valueAndGradient(q, ql, p, labels, s1, s2), x, gt, 1e-5);
    }

    @Test
    void normalizedSoftmaxFiniteDifferencesAndBound() {
        NormalizedSoftmaxLoss loss = new NormalizedSoftmaxLoss(4.0, 0.2);
        INDArray f = gaussian(106, 1.0, 4, 3);
        INDArray w = gaussian(107, 1.0, 5, 3);
        INDArray y = oneHot(5, 0, 4, 2, 1);
        INDArray gf = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        INDArray gw = Nd4j.zeros(DataType.DOUBLE, 5, 3);
        double v = loss.valueAndGradient(f, w, y, gf, gw);
        INDArray s1 = gf.dup();
        INDArray s2 = gw.dup();
        assertGradient("features", x -> loss.valueAndGradient(x, w, y, s1, s2), f, gf, 1e-6);
        assertGradient("weights", x -> loss.valueAndGradient(f, x, y, s1, s2), w, gw, 1e-6);
        assertThat(loss.valueAndGradient(f.mul(7.0), w.mul(0.3), y, s1, s2)).as("depends on directions only")
                .isCloseTo(v, within(1e-10));
        assertThat(NormalizedSoftmaxLoss.minimumScale(0.9, 10)).isCloseTo(Math.log(72), within(1e-12));
    }
}
