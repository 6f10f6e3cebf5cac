package io.concord.core.optim;

import io.concord.core.model.LabeledVector;
import io.concord.core.model.LinearClassifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every optimizer, built from its config map, drives multinomial logistic regression (the proving-ground
 * {@link LinearClassifier}) on separable blobs to low loss and full training accuracy; Lion solves a box-constrained
 * quadratic.
 */
class OptimizerConvergenceTest {

    private static final List<MatrixBlock> W = List.of(ConvexProblems.weights());

    static Stream<Object[]> configs() {
        return Stream.of(
                new Object[] {"sgd", Map.of("lr", 0.5)},
                new Object[] {"sgd", Map.of("lr", 0.1, "momentum", 0.9, "nesterov", true)},
                new Object[] {"adam", Map.of("lr", 0.05)},
                new Object[] {"adamw", Map.of("lr", 0.05, "weightDecay", 0.01)},
                new Object[] {"adamw", Map.of("lr", 0.05, "convention", "hf")},
                new Object[] {"lion", Map.of("lr", 0.01)},
                new Object[] {"lion", Map.of("lr", 0.01, "direction", "l2")},
                new Object[] {"sophia-g", Map.of("lr", 0.05, "batchSize", 200, "weightDecay", 0.0, "interval", 5)},
                new Object[] {"sophia-h", Map.of("lr", 0.05, "gamma", 1.0, "weightDecay", 0.0, "interval", 5)},
                new Object[] {"fira", Map.of("lr", 0.05, "rank", 1, "updateProjGap", 20)},
                new Object[] {"frugal", Map.of("lr", 0.05, "density", 0.5, "updateGap", 20)},
                new Object[] {"frugal", Map.of("lr", 0.05, "density", 0.5, "updateGap", 20, "projection", "svd")},
                new Object[] {"frugal", Map.of("lr", 0.05, "density", 0.5, "updateGap", 20, "projection",
                        "random", "inactiveUpdateRule", "sgd")},
                new Object[] {"frugal", Map.of("lr", 0.05, "density", 1.0, "updateGap", 20, "projection",
                        "block")},
                new Object[] {"normalized-gd", Map.of("lr", 0.5)},
                new Object[] {"normalized-gd", Map.of("lr", 0.5, "normalize", "loss")},
                new Object[] {"perp-grad", Map.of("base", Map.of("name", "sgd", "lr", 1.0))},
                new Object[] {"perp-grad", Map.of("base", Map.of("name", "adamw", "lr", 0.1))},
                new Object[] {"perp-grad", Map.of("base", Map.of("name", "normalized-gd", "lr", 1.0,
                        "normalize", "loss"))});
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void convergesOnLogisticRegression(String name, Map<String, Object> config) {
        LinearClassifier model = ConvexProblems.model();
        List<LabeledVector> data = ConvexProblems.blobs(17, 150);
        Optimizer optimizer = OptimizerRegistry.create(name, config, W);
        float[] init = new float[model.numParams()];
        model.initParams(init, 1);
        double initialLoss = ConvexProblems.meanLoss(model, init, data);
        float[] params = ConvexProblems.train(optimizer, model, data, 300);
        double loss = ConvexProblems.meanLoss(model, params, data);
        assertThat(loss).as("%s final loss (initial %.4f)", name, initialLoss).isLessThan(0.12);
        assertThat(ConvexProblems.accuracy(model, params, data)).isGreaterThanOrEqualTo(0.98);
    }

    /** f(x) = ½·Σ a_i (x_i − c_i)² with two coordinates of c outside the box ‖x‖∞ ≤ 1/λ = 1. */
    @Test
    void lionEndsInsideTheBoxAtTheConstrainedOptimum() {
        double[] a = {1.0, 2.0, 0.5, 1.5};
        double[] c = {3.0, -2.0, 0.5, -0.2};
        Lion lion = new Lion(0.01, 0.9, 0.99, 1.0, Lion.Direction.SIGN);
        float[] x = {5f, -5f, 0f, 0f};
        float[] m = new float[4];
        double[] previous = {5, 5};
        for (int t = 1; t <= 3000; t++) {
            float[] g = new float[4];
            for (int i = 0; i < 4; i++) {
                g[i] = (float) (a[i] * (x[i] - c[i]));
            }
            lion.step(x, g, m, t);
            for (int i = 0; i < 2; i++) {
                if (previous[i] > 1.0) {
                    assertThat((double) Math.abs(x[i])).as("outside the box |x| does not grow")
                            .isLessThanOrEqualTo(previous[i]);
                }
                previous[i] = Math.abs(x[i]);
            }
        }
        Lion.Bound bound = lion.bound(x);
        assertThat(bound.radius()).isEqualTo(1.0);
        // x(1 − lr·λ) + lr has its fixed point exactly at 1/λ; float rounding stops it within 1e-5 of the boundary.
        assertThat(bound.inside(1e-5)).as("‖x‖∞ = %s", bound.norm()).isTrue();
        double[] constrained = {1.0, -1.0, 0.5, -0.2};
        for (int i = 0; i < 4; i++) {
            assertThat((double) x[i]).as("x[%d]", i).isCloseTo(constrained[i], within(0.03));
        }
    }

    @Test
    void lionStepNeverLeavesTheBox() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 2000; trial++) {
            double lambda = 0.1 + 5 * r.nextDouble();
            double lr = r.nextDouble() / lambda;
            Lion lion = new Lion(lr, 0.9, 0.99, lambda, Lion.Direction.SIGN);
            float[] x = new float[3];
            float[] m = new float[3];
            float[] g = new float[3];
            for (int i = 0; i < 3; i++) {
                x[i] = (float) ((2 * r.nextDouble() - 1) / lambda);
                m[i] = (float) r.nextGaussian();
                g[i] = (float) r.nextGaussian();
            }
            lion.step(x, g, m, 1);
            assertThat(lion.bound(x).inside(1e-6)).isTrue();
        }
    }
}
