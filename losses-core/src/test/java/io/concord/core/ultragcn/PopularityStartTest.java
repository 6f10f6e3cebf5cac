package io.concord.core.ultragcn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PopularityStartTest {

    private static final Adjacency TRAIN = TinyGraphs.graph().train();
    private static final DegreeWeights WEIGHTS = DegreeWeights.fromTrain(TRAIN);
    private static final ItemNeighbours NEIGHBOURS = ItemNeighbourBuilder.computeAll(TRAIN, 2);

    private static UltraGcnObjective objective(boolean sift, double lambda) {
        return new UltraGcnObjective(4, 1e-3, 0.3, 1.0, 0.2, 1.0, 7, 5.0, 1e-4, lambda, 2, sift);
    }

    private static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /**
     * The objective's expectation over the negative draws for user-independent item scores {@code z}, summed term by
     * term as the model defines it: every positive (u, i), its R negatives averaged (each candidate item with
     * probability 1 / #candidates), and its item–item terms.
     */
    private static double expectedLoss(double[] z, UltraGcnObjective o) {
        double loss = 0.0;
        for (int u = 0; u < TRAIN.numRows(); u++) {
            int[] items = TRAIN.row(u);
            for (int i : items) {
                loss += (o.w1() + o.w2() * WEIGHTS.userBeta(u) * WEIGHTS.itemBeta(i)) * softplus(-z[i]);
                int candidates = 0;
                double negatives = 0.0;
                for (int j = 0; j < TRAIN.numColumns(); j++) {
                    if (o.samplingSiftPos() && TRAIN.contains(u, j)) {
                        continue;
                    }
                    candidates++;
                    negatives += (o.w3() + o.w4() * WEIGHTS.userBeta(u) * WEIGHTS.itemBeta(j)) * softplus(z[j]);
                }
                loss += o.negativeWeight() * negatives / candidates;
                for (int n = 0; n < NEIGHBOURS.k(); n++) {
                    loss += o.lambda() * NEIGHBOURS.weight(i, n) * softplus(-z[NEIGHBOURS.neighbour(i, n)]);
                }
            }
        }
        return loss;
    }

    @ParameterizedTest(name = "sampling_sift_pos {0}")
    @ValueSource(booleans = {true, false})
    void everyItemScoreIsAtTheMinimumOfTheExpectedObjective(boolean sift) {
        UltraGcnObjective o = objective(sift, 0.7);
        double[] z = PopularityStart.logits(TRAIN, WEIGHTS, NEIGHBOURS, o);
        double h = 1e-5;
        for (int j = 0; j < z.length; j++) {
            if (TRAIN.columnDegrees()[j] == 0) {
                continue;
            }
            double[] plus = z.clone();
            double[] minus = z.clone();
            plus[j] += h;
            minus[j] -= h;
            double slope = (expectedLoss(plus, o) - expectedLoss(minus, o)) / (2 * h);
            double curvature = (expectedLoss(plus, o) - 2 * expectedLoss(z, o) + expectedLoss(minus, o)) / (h * h);
            assertThat(slope).as("dE/dz of item %d", j).isCloseTo(0.0, within(1e-6));
            assertThat(curvature).as("d2E/dz2 of item %d", j).isPositive();
        }
    }

    @Test
    void anItemWithoutPositivesGetsTheLowestScoreAllowed() {
        double[] z = PopularityStart.logits(TRAIN, WEIGHTS, ItemNeighbours.none(8), objective(true, 0.0));
        assertThat(TRAIN.columnDegrees()[7]).isZero();
        assertThat(z[7]).isEqualTo(-PopularityStart.MAX_ABS_LOGIT);
    }

    @Test
    void theSharedDirectionGivesEveryUserTheItemScores() {
        double[] z = PopularityStart.logits(TRAIN, WEIGHTS, NEIGHBOURS, objective(true, 0.7));
        int dim = 4;
        float[] params = new float[(TRAIN.numRows() + z.length) * dim];
        PopularityStart.apply(params, z, TRAIN.numRows(), dim);
        for (int u = 0; u < TRAIN.numRows(); u++) {
            for (int j = 0; j < z.length; j++) {
                double dot = 0.0;
                for (int k = 0; k < dim; k++) {
                    dot += params[u * dim + k] * params[(TRAIN.numRows() + j) * dim + k];
                }
                assertThat(dot).as("e_%d · e_%d", u, j).isCloseTo(z[j], within(1e-5 * Math.max(1, Math.abs(z[j]))));
            }
        }
    }

    @Test
    void theModelStartsAtTheNormalStartPlusTheSharedDirection() {
        UltraGcnObjective o = objective(true, 0.7);
        UltraGcnModel normal = new UltraGcnModel(5, 8, o, WEIGHTS, NEIGHBOURS, TRAIN);
        UltraGcnModel popular = normal.startingAtPopularity(TRAIN);
        assertThat(normal.startsAtPopularity()).isFalse();
        assertThat(popular.startsAtPopularity()).isTrue();
        float[] expected = new float[normal.numParams()];
        normal.initParams(expected, 42L);
        PopularityStart.apply(expected, PopularityStart.logits(TRAIN, WEIGHTS, NEIGHBOURS, o), 5, 4);
        float[] actual = new float[popular.numParams()];
        popular.initParams(actual, 42L);
        assertThat(actual).containsExactly(expected);
    }
}
