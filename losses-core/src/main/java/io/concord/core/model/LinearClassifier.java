package io.concord.core.model;

import io.concord.core.stat.GlobalStatistic;
import io.concord.core.loss.Loss;
import io.concord.core.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Multinomial logistic regression (the engine's proving ground): logits {@code z = W·x + b}, any loss over the
 * logits ({@link LogitObjective}: plain, randomized or with per-example state; cross-entropy by default), optional L2
 * penalty {@code (λ/2)·‖W‖²} per optimizer step.
 *
 * <p>Parameter layout: {@code W} row-major ({@code numClasses × dimension}), then {@code b}. Arithmetic is in double
 * and rounded to float once per batch, so sums over differently split batches agree to float precision.
 */
public final class LinearClassifier implements Model<LabeledVector> {

    private static final long serialVersionUID = 1L;

    private final int dimension;
    private final int numClasses;
    private final LogitObjective objective;
    private final double l2;

    public LinearClassifier(int dimension, int numClasses, Loss loss, double l2) {
        this(dimension, numClasses, new LogitObjective.Plain(loss), l2);
    }

    public LinearClassifier(int dimension, int numClasses, LogitObjective objective, double l2) {
        if (dimension <= 0 || numClasses < 2) {
            throw new IllegalArgumentException("need dimension > 0 and numClasses >= 2, got " + dimension + ", "
                    + numClasses);
        }
        this.dimension = dimension;
        this.numClasses = numClasses;
        this.objective = Objects.requireNonNull(objective, "objective");
        this.l2 = l2;
    }

    /** The statistics the objective needs (per-example state), to register with the engine. */
    public List<GlobalStatistic<?>> statistics() {
        return objective.statistics();
    }

    public LogitObjective objective() {
        return objective;
    }

    public int dimension() {
        return dimension;
    }

    public int numClasses() {
        return numClasses;
    }

    @Override
    public int numParams() {
        return numClasses * dimension + numClasses;
    }

    @Override
    public void initParams(float[] params, long seed) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, 0x11AEA5L));
        double scale = 0.01;
        for (int i = 0; i < numClasses * dimension; i++) {
            params[i] = (float) (scale * Seeds.gaussian(random));
        }
        for (int i = numClasses * dimension; i < params.length; i++) {
            params[i] = 0f;
        }
    }

    /** Logits of one example, in double. */
    public double[] logits(float[] params, float[] x) {
        checkDimension(x);
        double[] z = new double[numClasses];
        int biasOffset = numClasses * dimension;
        for (int c = 0; c < numClasses; c++) {
            double s = params[biasOffset + c];
            int row = c * dimension;
            for (int j = 0; j < dimension; j++) {
                s += params[row + j] * (double) x[j];
            }
            z[c] = s;
        }
        return z;
    }

    /** Class probabilities softmax(z) of one example (max-shifted), in double. */
    public double[] probabilities(float[] params, float[] x) {
        double[] z = logits(params, x);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0.0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < z.length; c++) {
            z[c] /= sum;
        }
        return z;
    }

    public int predict(float[] params, float[] x) {
        double[] z = logits(params, x);
        int best = 0;
        for (int c = 1; c < numClasses; c++) {
            if (z[c] > z[best]) {
                best = c;
            }
        }
        return best;
    }

    @Override
    public BatchLoss accumulateGradient(float[] params, List<LabeledVector> batch, float[] grad, StepContext ctx) {
        int n = batch.size();
        if (n == 0) {
            return BatchLoss.ZERO;
        }
        double[] logitData = new double[n * numClasses];
        double[] targetData = new double[n * numClasses];
        for (int i = 0; i < n; i++) {
            LabeledVector example = batch.get(i);
            if (example.label() >= numClasses) {
                throw new IllegalArgumentException("label " + example.label() + " is out of range [0, " + numClasses
                        + ")");
            }
            System.arraycopy(logits(params, example.features()), 0, logitData, i * numClasses, numClasses);
            targetData[i * numClasses + example.label()] = 1.0;
        }
        INDArray logitArray = Nd4j.create(logitData, new long[] {n, numClasses}, DataType.DOUBLE);
        INDArray targets = Nd4j.create(targetData, new long[] {n, numClasses}, DataType.DOUBLE);
        INDArray dLogits = Nd4j.zeros(DataType.DOUBLE, n, numClasses);
        double lossSum = objective.valueAndGradient(logitArray, targets, batch, dLogits, ctx);
        double[] dz = dLogits.data().asDouble();

        double[] gw = new double[numClasses * dimension + numClasses];
        int biasOffset = numClasses * dimension;
        for (int i = 0; i < n; i++) {
            float[] x = batch.get(i).features();
            for (int c = 0; c < numClasses; c++) {
                double d = dz[i * numClasses + c];
                if (d == 0.0) {
                    continue;
                }
                int row = c * dimension;
                for (int j = 0; j < dimension; j++) {
                    gw[row + j] += d * x[j];
                }
                gw[biasOffset + c] += d;
            }
        }
        for (int k = 0; k < gw.length; k++) {
            grad[k] += (float) gw[k];
        }
        return new BatchLoss(lossSum, n);
    }

    @Override
    public boolean hasRegularizer() {
        return l2 != 0.0;
    }

    @Override
    public double regularize(float[] params, float[] grad) {
        return regularizeSlice(params, grad, 0, params.length, true);
    }

    @Override
    public double regularizeSlice(float[] params, float[] grad, int lo, int hi, boolean value) {
        if (l2 == 0.0) {
            return 0.0;
        }
        int weights = numClasses * dimension;
        for (int k = lo; k < Math.min(hi, weights); k++) {
            grad[k] += (float) (l2 * params[k]);
        }
        if (!value) {
            return 0.0;
        }
        double sum = 0.0;
        for (int k = 0; k < weights; k++) {
            sum += params[k] * (double) params[k];
        }
        return 0.5 * l2 * sum;
    }

    private void checkDimension(float[] x) {
        if (x.length != dimension) {
            throw new IllegalArgumentException("feature vector has dimension " + x.length + ", model expects "
                    + dimension);
        }
    }
}
