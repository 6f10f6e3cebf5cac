package io.concord.core.optim;

import io.concord.core.loss.SoftmaxCrossEntropy;
import io.concord.core.model.BatchLoss;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.LinearClassifier;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.util.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small convex test problems and a single-process training loop that follows the engine's protocol (mean-reduced
 * gradient, loss-aware and curvature optimizers served, curvature estimates reduced over two "partitions").
 */
final class ConvexProblems {

    static final int DIM = 5;
    static final int CLASSES = 3;

    private ConvexProblems() {
    }

    /** Three Gaussian blobs in 5-D, centres 3 apart along different axes. */
    static List<LabeledVector> blobs(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LabeledVector> data = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % CLASSES;
            float[] x = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                x[j] = (float) (Seeds.gaussian(random) + (j == label ? 3.0 : 0.0));
            }
            data.add(new LabeledVector(x, label));
        }
        return data;
    }

    static LinearClassifier model() {
        return new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE, 0.0);
    }

    /** The matrix block of the classifier's W (rows = classes, cols = dimension) at offset 0. */
    static MatrixBlock weights() {
        return new MatrixBlock(0, CLASSES, DIM);
    }

    static double meanLoss(LinearClassifier model, float[] params, List<LabeledVector> data) {
        float[] scratch = new float[params.length];
        return model.accumulateGradient(params, data, scratch, SimpleStepContext.of(0, 0)).meanLoss();
    }

    static double accuracy(LinearClassifier model, float[] params, List<LabeledVector> data) {
        int correct = 0;
        for (LabeledVector e : data) {
            correct += model.predict(params, e.features()) == e.label() ? 1 : 0;
        }
        return correct / (double) data.size();
    }

    /** Full-batch training for {@code steps} steps from the model's seeded initialisation; returns the parameters. */
    static float[] train(Optimizer optimizer, LinearClassifier model, List<LabeledVector> data, int steps) {
        int n = model.numParams();
        float[] params = new float[n];
        model.initParams(params, 1);
        float[] state = new float[optimizer.stateSize(n)];
        optimizer.initialiseState(state, params);
        LinearSoftmaxCurvature curvature = new LinearSoftmaxCurvature(model);
        List<LabeledVector> half0 = data.subList(0, data.size() / 2);
        List<LabeledVector> half1 = data.subList(data.size() / 2, data.size());
        for (long t = 1; t <= steps; t++) {
            float[] grad = new float[n];
            BatchLoss loss = model.accumulateGradient(params, data, grad, SimpleStepContext.of(7, t - 1));
            for (int i = 0; i < n; i++) {
                grad[i] /= (float) loss.weight();
            }
            if (optimizer instanceof LossAwareOptimizer aware) {
                aware.step(params, grad, state, t, loss.meanLoss());
            } else {
                optimizer.step(params, grad, state, t);
            }
            if (optimizer instanceof CurvatureOptimizer co && co.wantsCurvature(t)) {
                co.foldCurvature(curvatureEstimate(co.estimator(), curvature, params, half0, half1, t), state);
            }
        }
        return params;
    }

    /** What the engine does: sum partition contributions, divide by the total weight, then (Hutchinson) u ⊙ H̄u. */
    static float[] curvatureEstimate(CurvatureOptimizer.Estimator estimator, LinearSoftmaxCurvature curvature,
                                     float[] params, List<LabeledVector> part0, List<LabeledVector> part1, long t) {
        int n = params.length;
        float[] sum = new float[n];
        double weight = 0;
        if (estimator == CurvatureOptimizer.Estimator.GAUSS_NEWTON_BARTLETT) {
            weight += curvature.accumulateSampledLabelGradient(params, part0, sum, new SimpleStepContext(7, t, 0));
            weight += curvature.accumulateSampledLabelGradient(params, part1, sum, new SimpleStepContext(7, t, 1));
            for (int i = 0; i < n; i++) {
                sum[i] /= (float) weight;
            }
            return sum;
        }
        float[] u = Curvature.hutchinsonProbe(7, t, n);
        weight += curvature.accumulateHessianVectorProduct(params, part0, u, sum, new SimpleStepContext(7, t, 0));
        weight += curvature.accumulateHessianVectorProduct(params, part1, u, sum, new SimpleStepContext(7, t, 1));
        for (int i = 0; i < n; i++) {
            sum[i] /= (float) weight;
        }
        return Curvature.hutchinsonEstimate(u, sum);
    }
}
