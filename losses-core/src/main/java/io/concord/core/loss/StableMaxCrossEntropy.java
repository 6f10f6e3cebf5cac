package io.concord.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Cross-entropy of StableMax (Prieto et al., "Grokking at the Edge of Numerical Stability", arXiv 2501.04697; code:
 * EIFY/grokking-at-the-edge-of-numerical-stability {@code utils.py}):
 * <pre>
 *   s(x) = x + 1 (x ≥ 0),  1/(1 − x + 1e-30) (x &lt; 0);   P_i = s(x_i)/Σ_j s(x_j);   L = −log P_y
 * </pre>
 * written branch-free as {@code s = (1 + relu(x))/(1 − min(x, 0) + 1e-30)}. Gradient [derived]:
 * {@code ∂L/∂x_j = s'(x_j)/Σs − δ_jy·s'(x_y)/s(x_y)}, {@code s' = 1/(1 − min(x, 0))²}. Computed in float64 (the
 * reference makes the dtype a parameter); finite for logits of ±1e4 and beyond, where exp overflows. Not
 * shift-invariant. Soft targets give {@code Σ_c y_c (−log P_c)}.
 */
public final class StableMaxCrossEntropy implements Loss {

    public static final StableMaxCrossEntropy INSTANCE = new StableMaxCrossEntropy();
    private static final long serialVersionUID = 1L;
    /** The reference's guard; a no-op in float64 because the denominator is ≥ 1. */
    private static final double EPS = 1e-30;

    private StableMaxCrossEntropy() {
    }

    @Override
    public String name() {
        return "stablemax";
    }

    @Override
    public double valueAndGradient(INDArray outputs, INDArray targets, INDArray gradOut) {
        LossArrays.checkRowLoss(name(), outputs, targets, gradOut);
        INDArray x = LossArrays.asDouble(outputs);
        INDArray y = LossArrays.asDouble(targets);
        INDArray relu = Transforms.relu(x, true);
        INDArray denominator = x.sub(relu).rsubi(1.0 + EPS);
        INDArray s = relu.addi(1.0).divi(denominator);
        INDArray ds = denominator.muli(denominator).rdivi(1.0);
        INDArray total = s.sum(true, 1);
        INDArray mass = y.sum(true, 1);
        double value = mass.mul(Transforms.log(total, true)).sumNumber().doubleValue()
                - y.mul(Transforms.log(s, true)).sumNumber().doubleValue();
        INDArray grad = ds.mulColumnVector(mass.div(total)).subi(y.mul(ds).divi(s));
        gradOut.assign(grad);
        return value;
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
