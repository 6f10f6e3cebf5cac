package io.concord.core.loss;

import io.concord.core.optim.Hyper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The confidence-limiting pass@N loss, Direct Coverage Optimization (Chen, Raventós, Cheng, Ganguli, Druckmann,
 * arXiv 2502.07154): with p̂ the model probability of a correct answer, pass@N coverage is {@code 1 − (1 − p̂)^N} and
 * <pre>
 *   L = −log(1 − (1 − p̂)^N),     ∇L = F(N, p̂)·∇(−log p̂),   F = N·p̂·(1 − p̂)^(N−1)/(1 − (1 − p̂)^N)
 * </pre>
 * F = 1 for N = 1 (plain cross-entropy) and F → 0 as p̂ → 1, so confident examples stop being pushed. The loss form is
 * [unverified] (consistent with the authors' blog); the gradient is [derived].
 *
 * <p>As a {@link Loss}: outputs are logits, targets a 0/1 mask of the correct classes (one-hot for a single answer),
 * {@code p̂ = Σ_c y_c softmax(x)_c}. For sequences, {@link #valueAndWeight} takes {@code log p̂} (the answer's summed
 * token log-probabilities). Computed in the log domain with log1p/expm1. N has no default.
 */
public final class PassAtNLoss implements Loss {

    private static final long serialVersionUID = 1L;

    private final int n;

    public PassAtNLoss(int n) {
        this.n = Hyper.positive("loss.n", n);
    }

    @Override
    public String name() {
        return "pass-at-n";
    }

    public int n() {
        return n;
    }

    /**
     * {@code [L, F]} for one answer with log-probability {@code logP ≤ 0}: the loss and the weight F that multiplies
     * the gradient of {@code −log p̂}.
     */
    public double[] valueAndWeight(double logP) {
        if (!(logP <= 0.0)) {
            throw new IllegalArgumentException("pass-at-n: log-probability " + logP + " must be <= 0");
        }
        double logMiss = logP > -Math.log(2.0) ? Math.log(-Math.expm1(logP)) : Math.log1p(-Math.exp(logP));
        return valueAndWeight(logP, logMiss);
    }

    /** As {@link #valueAndWeight(double)} with {@code log(1 − p̂)} supplied (computed without cancellation). */
    private double[] valueAndWeight(double logP, double logMiss) {
        double logCoverage = Math.log(-Math.expm1(n * logMiss));
        double value = -logCoverage;
        double weight = n == 1 ? 1.0 : Math.exp(Math.log(n) + logP + (n - 1) * logMiss - logCoverage);
        return new double[] {value, weight};
    }

    @Override
    public double valueAndGradient(INDArray outputs, INDArray targets, INDArray gradOut) {
        LossArrays.checkRowLoss(name(), outputs, targets, gradOut);
        INDArray x = LossArrays.asDouble(outputs);
        INDArray y = LossArrays.asDouble(targets);
        INDArray logp = LossArrays.logSoftmax(x, null);
        INDArray p = Transforms.exp(logp, false);
        INDArray yp = y.mul(p);
        double[] mass = LossArrays.rowMajor(yp.sum(true, 1));
        double[] miss = LossArrays.rowMajor(y.rsub(1.0).muli(p).sum(true, 1));
        double[] factor = new double[mass.length];
        double value = 0.0;
        for (int i = 0; i < mass.length; i++) {
            if (!(mass[i] > 0.0)) {
                throw new IllegalArgumentException(name() + ": targets row " + i
                        + " marks no class with positive probability");
            }
            double logP = mass[i] <= 0.5 ? Math.log(mass[i]) : Math.log1p(-Math.min(miss[i], 1.0));
            double logMiss = miss[i] <= 0.5 ? Math.log(miss[i]) : Math.log1p(-Math.min(mass[i], 1.0));
            double[] lw = valueAndWeight(Math.min(0.0, logP), logMiss);
            value += lw[0];
            factor[i] = lw[1];
        }
        INDArray f = LossArrays.matrix(factor, mass.length, 1);
        INDArray inverseMass = LossArrays.matrix(mass, mass.length, 1).rdivi(1.0);
        INDArray grad = p.subi(yp.muliColumnVector(inverseMass)).muliColumnVector(f);
        gradOut.assign(grad);
        return value;
    }
}
