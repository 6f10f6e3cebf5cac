package io.concord.core.loss;

import io.concord.core.optim.Hyper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The comp-sum family of Mao, Mohri and Zhong (ICML 2023, arXiv 2304.07288): with {@code u = Σ_{y'≠y} exp(h_{y'} − h_y)},
 * so that {@code p_y = 1/(1+u)},
 * <pre>
 *   Φ^τ(u) = log(1 + u)                         τ = 1   cross-entropy
 *   Φ^τ(u) = ((1 + u)^(1−τ) − 1)/(1 − τ)        τ ≠ 1   = (p_y^(τ−1) − 1)/(1 − τ)
 * </pre>
 * τ = 0 is the sum-exponential loss {@code u}; τ = 1 + q with q ∈ (0, 1] is generalised cross-entropy
 * {@code (1 − p_y^q)/q} (GCE, q = 0.7 by default, as DixianZhu/LDR {@code GCELoss}); τ = 2 is MAE {@code 1 − p_y}.
 * The τ-parametrisation itself is [unverified] (the paper body was not checked); every member matches reference code.
 *
 * <p>Gradient [derived]: {@code ∇_h = p_y^(τ−1)·(p − e_y)}. Soft target rows are handled as the expectation
 * {@code Σ_c y_c Φ^τ(u_c)}.
 *
 * <p>MAE note: DixianZhu/LDR {@code MAELoss} computes {@code Σ(y_true − probs)}, which is identically zero; this class
 * computes {@code 1 − p_y} instead.
 */
public final class CompSumLoss implements Loss {

    private static final long serialVersionUID = 1L;

    private final double tau;
    private final String name;

    private CompSumLoss(double tau, String name) {
        this.tau = tau;
        this.name = name;
    }

    /** The family member with parameter τ ≥ 0. */
    public static CompSumLoss of(double tau) {
        Hyper.nonNegative("loss.tau", tau);
        return new CompSumLoss(tau, "comp-sum");
    }

    /** Generalised cross-entropy {@code (1 − p_y^q)/q}, q ∈ (0, 1]. */
    public static CompSumLoss generalizedCrossEntropy(double q) {
        Hyper.inRange("loss.q", q, 0.0, 1.0, false, true);
        return new CompSumLoss(1.0 + q, "gce");
    }

    /** Mean absolute error {@code 1 − p_y} (half of Ghosh et al.'s {@code ‖e_y − p‖₁}). */
    public static CompSumLoss meanAbsoluteError() {
        return new CompSumLoss(2.0, "mae");
    }

    public double tau() {
        return tau;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double valueAndGradient(INDArray outputs, INDArray targets, INDArray gradOut) {
        LossArrays.checkRowLoss(name, outputs, targets, gradOut);
        INDArray x = LossArrays.asDouble(outputs);
        INDArray y = LossArrays.asDouble(targets);
        INDArray logp = LossArrays.logSoftmax(x, null);
        INDArray p = Transforms.exp(logp, true);
        if (tau == 1.0) {
            double value = -y.mul(logp).sumNumber().doubleValue();
            gradOut.assign(p.muliColumnVector(y.sum(true, 1)).subi(y));
            return value;
        }
        INDArray yw = Transforms.exp(logp.muli(tau - 1.0), false).muli(y);
        double value = (yw.sumNumber().doubleValue() - y.sumNumber().doubleValue()) / (1.0 - tau);
        gradOut.assign(p.muliColumnVector(yw.sum(true, 1)).subi(yw));
        return value;
    }
}
