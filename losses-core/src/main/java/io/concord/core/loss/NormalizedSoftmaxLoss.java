package io.concord.core.loss;

import java.util.Arrays;
import io.concord.core.param.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * Hyperspherical (normalised-softmax) classification: NormFace {@code logit_j = s·clamp(x̂·Ŵ_j, −1, 1)} with
 * {@code x̂ = x/‖x‖}, {@code Ŵ_j = W_j/‖W_j‖}, then softmax cross-entropy (code: Sungoing/ICFFR {@code normface.py});
 * with an additive cosine margin m on the target class it is CosFace ({@code s·(cos_y − m)}, pytorch-metric-learning
 * {@code cosface_loss.py}). Gradient through the normalisation [derived]: {@code (v − x̂(x̂·v))/‖x‖}; the clamp passes
 * the gradient only inside [−1, 1]. Defaults: scale 64 (ICFFR; other copies use 32), margin 0.
 *
 * <p>The inputs are the features and the head's class weights (not logits), so this has its own entry point.
 */
public final class NormalizedSoftmaxLoss implements Objective {

    private static final long serialVersionUID = 1L;

    private final double scale;
    private final double margin;

    public NormalizedSoftmaxLoss(double scale, double margin) {
        this.scale = Checks.positive("loss.scale", scale);
        this.margin = Checks.nonNegative("loss.margin", margin);
    }

    public String name() {
        return "normalized-softmax";
    }

    /**
     * The L2-constrained softmax lower bound on the feature scale (Ranjan et al. 2017) for a target mean probability
     * {@code p} over {@code numClasses} classes: {@code α_low = log(p·(C − 2)/(1 − p))}; pick {@code scale ≥ α_low}.
     */
    public static double minimumScale(double p, int numClasses) {
        Checks.inRange("p", p, 0.0, 1.0, false, false);
        if (numClasses < 3) {
            throw new IllegalArgumentException("numClasses: " + numClasses + " is not allowed; the bound needs >= 3");
        }
        return Math.log(p * (numClasses - 2) / (1.0 - p));
    }

    /**
     * @param features     {@code [B, d]} features x
     * @param classWeights {@code [C, d]} class weight rows W
     * @param targets      {@code [B, C]} one-hot or soft labels
     * @return Σᵢ lossᵢ; overwrites the two gradients
     */
    public double valueAndGradient(INDArray features, INDArray classWeights, INDArray targets, INDArray gradFeatures,
                                   INDArray gradClassWeights) {
        LossArrays.requireMatrix(name() + ": features", features);
        LossArrays.requireMatrix(name() + ": classWeights", classWeights);
        if (features.columns() != classWeights.columns() || targets == null
                || targets.rows() != features.rows() || targets.columns() != classWeights.rows()) {
            throw new IllegalArgumentException(name() + ": shapes do not fit: features "
                    + Arrays.toString(features.shape()) + ", classWeights "
                    + Arrays.toString(classWeights.shape()) + ", targets "
                    + (targets == null ? "missing" : Arrays.toString(targets.shape())));
        }
        LossArrays.requireSameShape(name() + ": features", features, name() + ": gradFeatures", gradFeatures);
        LossArrays.requireSameShape(name() + ": classWeights", classWeights, name() + ": gradClassWeights",
                gradClassWeights);
        int b = (int) features.rows();
        int d = (int) features.columns();
        int classes = (int) classWeights.rows();
        double[] normX = new double[b];
        double[] normW = new double[classes];
        double[] unitX = LossArrays.unitRows(LossArrays.rowMajor(features), b, d, normX);
        double[] unitW = LossArrays.unitRows(LossArrays.rowMajor(classWeights), classes, d, normW);
        double[] y = LossArrays.rowMajor(targets);
        double[] cos = LossArrays.mmul(unitX, b, d, false, unitW, classes, d, true);
        double[] logits = new double[cos.length];
        for (int k = 0; k < cos.length; k++) {
            logits[k] = scale * (Math.max(-1.0, Math.min(1.0, cos[k])) - margin * y[k]);
        }
        double[] g = new double[cos.length];
        double value = 0.0;
        for (int i = 0; i < b; i++) {
            value += RowLoss.crossEntropyRow(logits, y, g, i * classes, classes, 1.0);
        }
        for (int k = 0; k < g.length; k++) {
            g[k] = cos[k] >= -1.0 && cos[k] <= 1.0 ? g[k] * scale : 0.0;
        }
        double[] gradUnitX = LossArrays.mmul(g, b, classes, false, unitW, classes, d, false);
        double[] gradUnitW = LossArrays.mmul(g, b, classes, true, unitX, b, d, false);
        LossArrays.write(gradFeatures, LossArrays.sphereBackward(gradUnitX, unitX, normX, b, d));
        LossArrays.write(gradClassWeights, LossArrays.sphereBackward(gradUnitW, unitW, normW, classes, d));
        return value;
    }
}
