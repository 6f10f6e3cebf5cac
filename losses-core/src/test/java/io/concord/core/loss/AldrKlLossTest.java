package io.concord.core.loss;

import io.concord.core.stat.GlobalStatistic;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static io.concord.core.loss.GradientCheck.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AldrKlLossTest {

    private final AldrKlLoss loss = new AldrKlLoss(0.1, 1.0, 2.0, false);

    @Test
    void referenceVector() {
        double[] state = {1.0};
        double[] next = new double[1];
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        double v = loss.valueAndGradient(row(2, 1, 0), oneHot(3, 0), state, next, grad);
        assertThat(v).isCloseTo(-0.640523, within(1e-6));
        double kl = (1.0 - next[0]) * 2.0 * Math.log(3);
        assertThat(kl).isCloseTo(0.266199, within(1e-6));
        assertThat(next[0]).isCloseTo(0.878847, within(1e-6));
        double extra = -(2.0 * Math.log(3) / 2.0) * Math.pow(next[0] - 1.0, 2);
        assertThat(extra).isCloseTo(-0.016125, within(1e-6));
        assertThat(state[0]).as("input state untouched").isEqualTo(1.0);
    }

    @Test
    void gradientIsLdrGradientAtTheNewDetachedLambda() {
        for (boolean softplus : new boolean[] {false, true}) {
            AldrKlLoss aldr = new AldrKlLoss(0.1, 1.0, 2.0, softplus);
            INDArray x = gaussian(51, 1.5, 4, 5);
            INDArray y = oneHot(5, 0, 4, 2, 2);
            double[] state = {1.0, 0.7, 0.55, 0.9};
            double[] next = new double[4];
            INDArray grad = Nd4j.zeros(DataType.DOUBLE, 4, 5);
            aldr.valueAndGradient(x, y, state, next, grad);
            assertGradient("aldr softplus=" + softplus, o -> ldrAtFixedLambdas(o, y, next, softplus), x, grad,
                    1e-6);
            for (double lambda : next) {
                assertThat(lambda).isBetween(aldr.minLambda(), 1.0);
            }
        }
    }

    /** Σ_i LDR-KL(row i; λ_i) with the λ_i held fixed. */
    private static double ldrAtFixedLambdas(INDArray o, INDArray y, double[] lambdas, boolean softplus) {
        int k = (int) o.columns();
        double[] x = o.dup().data().asDouble();
        double[] t = y.dup().data().asDouble();
        double[] g = new double[x.length];
        double[] scratch = new double[LdrKl.scratchSize(k)];
        double value = 0;
        for (int i = 0; i < o.rows(); i++) {
            double norm = LdrKl.scores(x, i * k, k, softplus, scratch);
            value += LdrKl.loss(x, t, g, i * k, k, 0.1, lambdas[i], softplus, norm, scratch);
        }
        return value;
    }

    @Test
    void stateTableAndDeltasAreOrderIndependent() {
        ExampleStateTable table = ExampleStateTable.initial(loss, 6);
        assertThat(table.gather(new long[] {0, 5})).containsExactly(1.0, 1.0);
        INDArray x = gaussian(52, 1.0, 2, 3);
        INDArray y = oneHot(3, 0, 2);
        long[] batchA = {4, 1};
        double[] newA = new double[2];
        loss.valueAndGradient(x, y, table.gather(batchA), newA, Nd4j.zeros(DataType.DOUBLE, 2, 3));
        long[] batchB = {2, 4};
        double[] newB = {0.61, 0.62};

        GlobalStatistic<ExampleStateDelta> stat = ExampleStateDeltas.of(loss);
        assertThat(stat.name()).isEqualTo("aldr-kl.state");
        ExampleStateDelta partition0 = stat.zero();
        partition0.add(batchA, 7, newA);
        ExampleStateDelta partition1 = stat.zero();
        partition1.add(batchB, 9, newB);

        ExampleStateTable t1 = ExampleStateTable.initial(loss, 6);
        t1.apply(stat.merge(stat.copy(partition0), partition1));
        ExampleStateTable t2 = ExampleStateTable.initial(loss, 6);
        t2.apply(stat.merge(stat.copy(partition1), partition0));
        for (long id = 0; id < 6; id++) {
            assertThat(t1.row(id)).containsExactly(t2.row(id));
        }
        assertThat(t1.row(1)).containsExactly(newA[1]);
        assertThat(t1.row(4)).as("step 9 beats step 7").containsExactly(0.62);
        assertThat(t1.row(2)).containsExactly(0.61);
        assertThat(t1.row(0)).containsExactly(1.0);
        assertThatThrownBy(() -> t1.gather(new long[] {6})).hasMessageContaining("example index 6 is out of range");
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> new AldrKlLoss(0.1, 1.0, 1.0, false))
                .hasMessage("loss.alpha: 1.0 is not allowed; must be a finite number > 1");
    }
}
