package io.concord.core.loss;

import io.concord.core.optim.Hyper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

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
public final class NormalizedSoftmaxLoss implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final double MIN_NORM = 1e-12;

    private final double scale;
    private final double margin;

    public NormalizedSoftmaxLoss(double scale, double margin) {
        this.scale = Hyper.positive("loss.scale", scale);
        this.margin = Hyper.nonNegative("loss.margin", margin);
    }

    public String name() {
        return "normalized-softmax";
    }

    /**
     * The L2-constrained softmax lower bound on the feature scale (Ranjan et al. 2017) for a target mean probability
     * {@code p} over {@code numClasses} classes: {@code α_low = log(p·(C − 2)/(1 − p))}; pick {@code scale ≥ α_low}.
     */
    public static double minimumScale(double p, int numClasses) {
        Hyper.inRange("p", p, 0.0, 1.0, false, false);
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
                    + java.util.Arrays.toString(features.shape()) + ", classWeights "
                    + java.util.Arrays.toString(classWeights.shape()) + ", targets "
                    + (targets == null ? "missing" : java.util.Arrays.toString(targets.shape())));
        }
        LossArrays.requireSameShape(name() + ": features", features, name() + ": gradFeatures", gradFeatures);
        LossArrays.requireSameShape(name() + ": classWeights", classWeights, name() + ": gradClassWeights",
                gradClassWeights);
        INDArray x = LossArrays.asDouble(features);
        INDArray w = LossArrays.asDouble(classWeights);
        INDArray y = LossArrays.asDouble(targets);
        INDArray normX = Transforms.max(x.norm2(true, 1), MIN_NORM, false);
        INDArray normW = Transforms.max(w.norm2(true, 1), MIN_NORM, false);
        INDArray unitX = x.divColumnVector(normX);
        INDArray unitW = w.divColumnVector(normW);
        INDArray cos = unitX.mmul(unitW.transpose());
        INDArray inside = cos.gte(-1.0).castTo(cos.dataType()).muli(cos.lte(1.0).castTo(cos.dataType()));
        INDArray clamped = Transforms.min(Transforms.max(cos, -1.0, true), 1.0, false);
        INDArray logits = clamped.subi(y.mul(margin)).muli(scale);
        INDArray logp = LossArrays.logSoftmax(logits, null);
        double value = -y.mul(logp).sumNumber().doubleValue();
        INDArray gradLogits = Transforms.exp(logp, false).muliColumnVector(y.sum(true, 1)).subi(y);
        INDArray gradCos = gradLogits.muli(inside).muli(scale);
        gradFeatures.assign(InfoNceLoss.sphereBackward(gradCos.mmul(unitW), unitX, normX));
        gradClassWeights.assign(InfoNceLoss.sphereBackward(gradCos.transpose().mmul(unitX), unitW, normW));
        return value;
    }
}
