package io.concord.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.concord.core.loss.GradientCheck.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class InfoNceLossTest {

    @Test
    void referenceVectors() {
        INDArray s = row(0.9, 0.1, -0.2);
        INDArray y = oneHot(3, 0);
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        assertThat(new InfoNceLoss(0.1).valueAndGradient(s, y, grad)).isCloseTo(3.5210e-4, within(1e-8));
        assertThat(grad.toDoubleVector()).containsExactly(new double[] {-0.003520, 0.003353, 0.000167},
                within(1e-6));
        assertThat(new InfoNceLoss(0.5).valueAndGradient(s, y, grad)).isCloseTo(0.272086, within(1e-6));
        assertThat(grad.toDoubleVector()).containsExactly(new double[] {-0.476422, 0.307605, 0.168817},
                within(1e-6));
        assertThat(-grad.getDouble(0, 0)).as("positive gradient = sum of negative ones")
                .isCloseTo(grad.getDouble(0, 1) + grad.getDouble(0, 2), within(1e-12));
    }

    @Test
    void finiteDifferencesOnSimilarities() {
        INDArray s = gaussian(61, 0.5, 4, 6);
        assertLossGradient(new InfoNceLoss(0.2), s, oneHot(6, 0, 1, 2, 5), 1e-6);
    }

    @Test
    void finiteDifferencesOnEmbeddings() {
        InfoNceLoss loss = new InfoNceLoss(0.3);
        INDArray a = gaussian(62, 1.0, 5, 3);
        INDArray p = gaussian(63, 1.0, 5, 3);
        INDArray ga = Nd4j.zeros(DataType.DOUBLE, 5, 3);
        INDArray gp = Nd4j.zeros(DataType.DOUBLE, 5, 3);
        double v = loss.valueAndGradientEmbeddings(a, p, ga, gp);
        INDArray s1 = ga.dup();
        INDArray s2 = gp.dup();
        assertGradient("anchors", x -> loss.valueAndGradientEmbeddings(x, p, s1, s2), a, ga, 1e-6);
        assertGradient("positives", x -> loss.valueAndGradientEmbeddings(a, x, s1, s2), p, gp, 1e-6);

        INDArray unitA = a.divColumnVector(a.norm2(true, 1));
        INDArray unitP = p.divColumnVector(p.norm2(true, 1));
        INDArray sims = unitA.mmul(unitP.transpose());
        double rows = loss.valueAndGradient(sims, Nd4j.eye(5).castTo(DataType.DOUBLE),
                Nd4j.zeros(DataType.DOUBLE, 5, 5));
        assertThat(v).isCloseTo(rows, within(1e-10));
        assertThat(loss.valueAndGradientEmbeddings(a.mul(3.0), p, s1, s2)).as("scale-free inputs")
                .isCloseTo(v, within(1e-10));
    }
}
