package io.concord.core.loss;

import io.concord.core.optim.Hyper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * InfoNCE with temperature τ (Wang and Liu, CVPR 2021, "Understanding the Behaviour of Contrastive Loss"):
 * {@code L_i = −log(exp(s_ii/τ)/Σ_k exp(s_ik/τ))} over cosine similarities {@code s_ij = f(x_i)ᵀg(x_j)} on the unit
 * hypersphere; {@code ∂L/∂s_ij = (P_ij − δ_ij)/τ}, {@code P = softmax(s_i·/τ)}. Smaller τ concentrates the negative
 * gradient on the hardest negatives. Default τ = 0.07 (one of the two values the paper compares, with 0.2).
 *
 * <p>Two entry points: as a {@link Loss} over precomputed similarity rows (targets one-hot on the positive column), and
 * {@link #valueAndGradientEmbeddings} over two batches of embeddings with in-batch negatives (row i of {@code anchors}
 * and of {@code positives} form the positive pair; normalisation to the sphere is part of the loss).
 */
public final class InfoNceLoss implements Loss {

    private static final long serialVersionUID = 1L;
    private static final double MIN_NORM = 1e-12;

    private final double temperature;

    public InfoNceLoss(double temperature) {
        this.temperature = Hyper.positive("loss.temperature", temperature);
    }

    @Override
    public String name() {
        return "infonce";
    }

    public double temperature() {
        return temperature;
    }

    @Override
    public double valueAndGradient(INDArray outputs, INDArray targets, INDArray gradOut) {
        LossArrays.checkRowLoss(name(), outputs, targets, gradOut);
        INDArray y = LossArrays.asDouble(targets);
        INDArray logp = LossArrays.logSoftmax(LossArrays.asDouble(outputs).div(temperature), null);
        double value = -y.mul(logp).sumNumber().doubleValue();
        INDArray grad = Transforms.exp(logp, false).muliColumnVector(y.sum(true, 1)).subi(y).divi(temperature);
        gradOut.assign(grad);
        return value;
    }

    /**
     * InfoNCE over a batch of B positive pairs with the other B − 1 positives as negatives. Returns Σᵢ Lᵢ and
     * overwrites {@code gradAnchors} and {@code gradPositives} with its gradients with respect to the raw (unnormalised)
     * embeddings.
     */
    public double valueAndGradientEmbeddings(INDArray anchors, INDArray positives, INDArray gradAnchors,
                                             INDArray gradPositives) {
        LossArrays.requireMatrix(name() + ": anchors", anchors);
        LossArrays.requireSameShape(name() + ": anchors", anchors, name() + ": positives", positives);
        LossArrays.requireSameShape(name() + ": anchors", anchors, name() + ": gradAnchors", gradAnchors);
        LossArrays.requireSameShape(name() + ": anchors", anchors, name() + ": gradPositives", gradPositives);
        INDArray a = LossArrays.asDouble(anchors);
        INDArray p = LossArrays.asDouble(positives);
        INDArray normA = Transforms.max(a.norm2(true, 1), MIN_NORM, false);
        INDArray normP = Transforms.max(p.norm2(true, 1), MIN_NORM, false);
        INDArray unitA = a.divColumnVector(normA);
        INDArray unitP = p.divColumnVector(normP);
        INDArray logp = LossArrays.logSoftmax(unitA.mmul(unitP.transpose()).divi(temperature), null);
        INDArray eye = Nd4j.eye(a.rows()).castTo(logp.dataType());
        double value = -logp.mul(eye).sumNumber().doubleValue();
        INDArray g = Transforms.exp(logp, false).subi(eye).divi(temperature);
        gradAnchors.assign(sphereBackward(g.mmul(unitP), unitA, normA));
        gradPositives.assign(sphereBackward(g.transpose().mmul(unitA), unitP, normP));
        return value;
    }

    /** Gradient through {@code x̂ = x/‖x‖}: {@code (v − x̂(x̂·v))/‖x‖} per row. */
    static INDArray sphereBackward(INDArray gradUnit, INDArray unit, INDArray norm) {
        INDArray radial = gradUnit.mul(unit).sum(true, 1);
        return gradUnit.sub(unit.mulColumnVector(radial)).diviColumnVector(norm);
    }
}
