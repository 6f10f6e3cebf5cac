package io.concord.core.loss;

import io.concord.core.optim.Hyper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The PaLM / T5X logit z-loss, an auxiliary regulariser that keeps the log-partition near zero (T5X
 * {@code cross_entropy_with_logits}): {@code coefficient·(log Z)²} per example, {@code log Z = logsumexp(logits)},
 * optionally added to the softmax cross-entropy as T5X does. Gradient (T5X custom VJP):
 * {@code (Σ_c y_c + 2·coefficient·log Z)·softmax − y}. Not to be confused with {@link SphericalZLoss}.
 *
 * <p>T5X's default coefficient is 0; 1e-4 (the default here) is PaLM's value as quoted by third-party snippets.
 */
public final class LogitZLoss implements Loss {

    private static final long serialVersionUID = 1L;

    private final double coefficient;
    private final boolean withCrossEntropy;

    /**
     * @param coefficient      weight of {@code (log Z)²}, ≥ 0
     * @param withCrossEntropy add the softmax cross-entropy (T5X form); otherwise only the regulariser is computed
     */
    public LogitZLoss(double coefficient, boolean withCrossEntropy) {
        this.coefficient = Hyper.nonNegative("loss.coefficient", coefficient);
        this.withCrossEntropy = withCrossEntropy;
    }

    @Override
    public String name() {
        return "logit-z-loss";
    }

    @Override
    public double valueAndGradient(INDArray outputs, INDArray targets, INDArray gradOut) {
        LossArrays.checkRowLoss(name(), outputs, targets, gradOut);
        INDArray x = LossArrays.asDouble(outputs);
        INDArray y = LossArrays.asDouble(targets);
        INDArray[] logZ = new INDArray[1];
        INDArray logp = LossArrays.logSoftmax(x, logZ);
        INDArray p = Transforms.exp(logp, true);
        double value = coefficient * logZ[0].mul(logZ[0]).sumNumber().doubleValue();
        INDArray weight = logZ[0].mul(2.0 * coefficient);
        if (withCrossEntropy) {
            value -= y.mul(logp).sumNumber().doubleValue();
            weight.addi(y.sum(true, 1));
        }
        INDArray grad = p.muliColumnVector(weight);
        if (withCrossEntropy) {
            grad.subi(y);
        }
        gradOut.assign(grad);
        return value;
    }
}
