package io.concord.core.optim;

import io.concord.core.model.HessianVectorProductModel;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.LinearClassifier;
import io.concord.core.model.SampledLabelGradientModel;
import io.concord.core.model.StepContext;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Sophia's curvature inputs for a {@link LinearClassifier} trained with softmax cross-entropy: the sampled-label
 * gradient for the Gauss–Newton–Bartlett estimate and exact Hessian-vector products (the model is linear in its
 * parameters, so the Gauss–Newton matrix is the Hessian: {@code H·v} per example is {@code (diag(p) − ppᵀ)·dz ⊗ [x, 1]},
 * {@code dz = V_W·x + v_b}). The classifier's per-step L2 regulariser is not included.
 */
public final class LinearSoftmaxCurvature implements SampledLabelGradientModel<LabeledVector>,
        HessianVectorProductModel<LabeledVector>, Serializable {

    private static final long serialVersionUID = 1L;

    private final LinearClassifier model;

    public LinearSoftmaxCurvature(LinearClassifier model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public double accumulateSampledLabelGradient(float[] params, List<LabeledVector> batch, float[] grad,
                                                 StepContext ctx) {
        SplittableRandom random = ctx.random();
        int k = model.numClasses();
        int dim = model.dimension();
        double[] acc = new double[grad.length];
        for (LabeledVector example : batch) {
            double[] p = model.probabilities(params, example.features());
            double u = random.nextDouble();
            int sampled = k - 1;
            double cumulative = 0.0;
            for (int c = 0; c < k; c++) {
                cumulative += p[c];
                if (u < cumulative) {
                    sampled = c;
                    break;
                }
            }
            p[sampled] -= 1.0;
            addOuter(acc, p, example.features(), k, dim);
        }
        for (int i = 0; i < grad.length; i++) {
            grad[i] += (float) acc[i];
        }
        return batch.size();
    }

    @Override
    public double accumulateHessianVectorProduct(float[] params, List<LabeledVector> batch, float[] v, float[] hv,
                                                 StepContext ctx) {
        int k = model.numClasses();
        int dim = model.dimension();
        double[] acc = new double[hv.length];
        for (LabeledVector example : batch) {
            float[] x = example.features();
            double[] p = model.probabilities(params, x);
            double[] dz = new double[k];
            double pDotDz = 0.0;
            for (int c = 0; c < k; c++) {
                double s = v[k * dim + c];
                for (int j = 0; j < dim; j++) {
                    s += v[c * dim + j] * (double) x[j];
                }
                dz[c] = s;
                pDotDz += p[c] * s;
            }
            for (int c = 0; c < k; c++) {
                dz[c] = p[c] * (dz[c] - pDotDz);
            }
            addOuter(acc, dz, x, k, dim);
        }
        for (int i = 0; i < hv.length; i++) {
            hv[i] += (float) acc[i];
        }
        return batch.size();
    }

    private static void addOuter(double[] acc, double[] perClass, float[] x, int k, int dim) {
        for (int c = 0; c < k; c++) {
            double d = perClass[c];
            for (int j = 0; j < dim; j++) {
                acc[c * dim + j] += d * x[j];
            }
            acc[k * dim + c] += d;
        }
    }
}
