package io.concord.core.loss;

import io.concord.core.optim.Hyper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LDR-KL, the label-distributionally-robust loss with a KL penalty (Zhu, Ying, Yang, ICML 2023;
 * DixianZhu/LDR {@code LDRLoss_V1}): {@code L = λ·log((1/K)·Σ_j exp(d_j/λ))} on softplus scores normalised to mean 1,
 * {@code d_j = c·(1 − y_j) + s_j − s_y}; equals {@code max_{p∈Δ} Σ_j p_j d_j − λ·KL(p ‖ uniform)} [derived], so values
 * can be negative. λ → ∞ gives {@code mean_j d_j}, λ → 0 gives {@code max_j d_j} [derived].
 *
 * <p>Defaults: margin c = 0.1 and λ = 1 (the paper's experiments pass {@code --margin 0.1}, λ ∈ {0.1, 1, 10};
 * {@code LDRLoss_V1}'s own constructor default margin is 2.0).
 */
public final class LdrKlLoss implements Loss {

    private static final long serialVersionUID = 1L;

    private final double margin;
    private final double lambda;

    public LdrKlLoss(double margin, double lambda) {
        this.margin = Hyper.nonNegative("loss.margin", margin);
        this.lambda = Hyper.positive("loss.lambda", lambda);
    }

    @Override
    public String name() {
        return "ldr-kl";
    }

    @Override
    public double valueAndGradient(INDArray outputs, INDArray targets, INDArray gradOut) {
        LossArrays.checkRowLoss(name(), outputs, targets, gradOut);
        INDArray x = LossArrays.asDouble(outputs);
        INDArray y = LossArrays.asDouble(targets);
        INDArray lambdas = Nd4j.valueArrayOf(new long[] {x.rows(), 1}, lambda, DataType.DOUBLE);
        INDArray grad = Nd4j.createUninitialized(DataType.DOUBLE, x.shape());
        double value = LdrKl.lossAndGradient(LdrKl.scores(x, true), y, margin, lambdas, grad)
                .sumNumber().doubleValue();
        gradOut.assign(grad);
        return value;
    }
}
