package io.concord.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Cross-entropy of softmax(logits) against target distributions (one-hot or soft rows):
 * {@code ℓ = −Σ_c y_c log softmax(z)_c}, gradient {@code softmax(z)·Σ_c y_c − y}. Max-shifted, so finite for any
 * finite logits.
 */
public final class SoftmaxCrossEntropy implements Loss {

    public static final SoftmaxCrossEntropy INSTANCE = new SoftmaxCrossEntropy();
    private static final long serialVersionUID = 1L;

    private SoftmaxCrossEntropy() {
    }

    @Override
    public String name() {
        return "cross-entropy";
    }

    @Override
    public double valueAndGradient(INDArray outputs, INDArray targets, INDArray gradOut) {
        INDArray shifted = outputs.subColumnVector(outputs.max(1).reshape(outputs.rows(), 1));
        INDArray expd = Transforms.exp(shifted, true);
        INDArray sumExp = expd.sum(true, 1);
        INDArray logSumExp = Transforms.log(sumExp, true);
        INDArray logProb = shifted.subColumnVector(logSumExp);
        double value = -targets.mul(logProb).sumNumber().doubleValue();
        INDArray prob = expd.diviColumnVector(sumExp);
        INDArray targetMass = targets.sum(true, 1);
        gradOut.assign(prob.muliColumnVector(targetMass).subi(targets));
        return value;
    }

    private Object readResolve() {
        return INSTANCE;
    }

}
