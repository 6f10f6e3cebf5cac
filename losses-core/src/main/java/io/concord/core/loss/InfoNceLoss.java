package io.concord.core.loss;

import io.concord.core.param.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

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
public final class InfoNceLoss extends RowLoss {

    private static final long serialVersionUID = 1L;

    private final double temperature;

    public InfoNceLoss(double temperature) {
        this.temperature = Checks.positive("loss.temperature", temperature);
    }

    @Override
    public String name() {
        return "infonce";
    }

    public double temperature() {
        return temperature;
    }

    @Override
    double row(double[] x, double[] y, double[] g, int offset, int k, int row, double[] scratch) {
        return crossEntropyRow(x, y, g, offset, k, temperature);
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
        int b = (int) anchors.rows();
        int d = (int) anchors.columns();
        double[] normA = new double[b];
        double[] normP = new double[b];
        double[] unitA = LossArrays.unitRows(LossArrays.rowMajor(anchors), b, d, normA);
        double[] unitP = LossArrays.unitRows(LossArrays.rowMajor(positives), b, d, normP);
        double[] sim = LossArrays.mmul(unitA, b, d, false, unitP, b, d, true);
        double[] g = new double[b * b];
        double[] target = new double[b * b];
        double value = 0.0;
        for (int i = 0; i < b; i++) {
            target[i * b + i] = 1.0;
            value += crossEntropyRow(sim, target, g, i * b, b, temperature);
        }
        double[] gradUnitA = LossArrays.mmul(g, b, b, false, unitP, b, d, false);
        double[] gradUnitP = LossArrays.mmul(g, b, b, true, unitA, b, d, false);
        LossArrays.write(gradAnchors, LossArrays.sphereBackward(gradUnitA, unitA, normA, b, d));
        LossArrays.write(gradPositives, LossArrays.sphereBackward(gradUnitP, unitP, normP, b, d));
        return value;
    }
}
