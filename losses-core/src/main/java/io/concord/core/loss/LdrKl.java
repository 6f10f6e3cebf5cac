package io.concord.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The computation LDR-KL and ALDR-KL share (Zhu, Ying, Yang, ICML 2023; code: DixianZhu/LDR {@code loss.py}):
 * <pre>
 *   s = (softplus?)(logits);  s = s/(‖s‖₁/K);  d_j = c·(1 − y_j) + s_j − s_y
 *   L = λ·log((1/K)·Σ_j exp(d_j/λ))          (max-shifted)
 * </pre>
 * Gradient [derived]: {@code ∂L/∂s_k = q_k − y_k}, {@code q = softmax(d/λ)}, then through the normalisation
 * {@code ∂L/∂x_k = (g_k − sign(x_k)·(1/K)·Σ_j g_j s_j)/n}, {@code n = ‖x‖₁/K}, then through the softplus. With soft
 * targets {@code s_y} is {@code Σ_c y_c s_c}. The normaliser n is floored at 1e-12 (the reference has no guard; it
 * only matters for an all-zero row without softplus).
 */
final class LdrKl {

    private static final double MIN_NORM = 1e-12;

    private LdrKl() {
    }

    /** The normalised scores {@code s} of raw logits (float64), with the pieces the gradient needs. */
    record Scores(INDArray logits, INDArray base, INDArray norm, INDArray s, boolean softplus) {
    }

    static Scores scores(INDArray logits, boolean softplus) {
        INDArray base = softplus ? LossArrays.softplus(logits) : logits;
        INDArray norm = Transforms.max(Transforms.abs(base, true).mean(true, 1), MIN_NORM, false);
        INDArray s = base.divColumnVector(norm);
        return new Scores(logits, base, norm, s, softplus);
    }

    /**
     * Per-row losses {@code L_i} for per-row λ (a [rows, 1] column) and the gradient with respect to the logits
     * written into {@code gradLogits} (float64, same shape as the logits).
     */
    static INDArray lossAndGradient(Scores sc, INDArray y, double margin, INDArray lambda, INDArray gradLogits) {
        INDArray s = sc.s();
        double k = s.columns();
        INDArray sy = y.mul(s).sum(true, 1);
        INDArray scaled = y.rsub(1.0).muli(margin).addi(s).subiColumnVector(sy).diviColumnVector(lambda);
        INDArray max = scaled.max(true, 1);
        INDArray e = Transforms.exp(scaled.subiColumnVector(max), false);
        INDArray sumE = e.sum(true, 1);
        INDArray rowLoss = Transforms.log(sumE, true).addi(max).subi(Math.log(k)).muli(lambda);
        INDArray g = e.diviColumnVector(sumE).subi(y);
        INDArray gs = g.mul(s).sum(true, 1).divi(k);
        INDArray sign = sc.softplus() ? null : Transforms.sign(sc.base(), true);
        INDArray correction = sign == null ? gs : sign.muliColumnVector(gs);
        INDArray grad = sign == null ? g.subiColumnVector(gs) : g.subi(correction);
        grad.diviColumnVector(sc.norm());
        if (sc.softplus()) {
            grad.muli(Transforms.sigmoid(sc.logits(), true));
        }
        gradLogits.assign(grad);
        return rowLoss;
    }
}
