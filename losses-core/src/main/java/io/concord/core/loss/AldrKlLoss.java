package io.concord.core.loss;

import io.concord.core.param.ParamException;
import io.concord.core.param.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adaptive LDR-KL (ALDR-KL; Zhu, Ying, Yang, ICML 2023; DixianZhu/LDR {@code ALDRLoss_V1}) with a per-example λ_i:
 * <pre>
 *   s = (softplus?)(logits);  s = s/(‖s‖₁/K)
 *   p = softmax(s/λ_i_old) + 1e-5;  p = p/‖p‖₁;  kl = Σ p·log(K·p)
 *   λ_i ← λ0 − λ0·kl/(α·log K)                     ∈ [λ0(1 − 1/α), λ0]   (detached)
 *   L_i = λ_i·log((1/K)·Σ_j exp(d_j/λ_i)) − (α·log K/(2λ0))·(λ_i − λ0)²
 * </pre>
 * The second term is constant in the parameters; the gradient is LDR-KL's at the new λ_i (see {@link LdrKl}).
 * State: one double per example, initialised to λ0. Defaults: margin 0.1, λ0 = 1, α = 2, no softplus (the paper's
 * experiments; softplus only for CIFAR-100). α must exceed 1 (reference comment "alpha > 1"), so λ_i stays positive.
 */
public final class AldrKlLoss implements ExampleStateLoss {

    private static final long serialVersionUID = 1L;
    private static final double PROBABILITY_FLOOR = 1e-5;

    private final double margin;
    private final double lambda0;
    private final double alpha;
    private final boolean softplus;

    public AldrKlLoss(double margin, double lambda0, double alpha, boolean softplus) {
        this.margin = Checks.nonNegative("loss.margin", margin);
        this.lambda0 = Checks.positive("loss.lambda0", lambda0);
        if (!(alpha > 1.0) || Double.isInfinite(alpha)) {
            throw new ParamException("loss.alpha", "" + alpha + " is not allowed; must be a finite number > 1");
        }
        this.alpha = alpha;
        this.softplus = softplus;
    }

    @Override
    public String name() {
        return "aldr-kl";
    }

    @Override
    public int stateWidth() {
        return 1;
    }

    @Override
    public void initialState(double[] row) {
        row[0] = lambda0;
    }

    /** The lower end of the λ_i range, {@code λ0·(1 − 1/α)}. */
    public double minLambda() {
        return lambda0 * (1.0 - 1.0 / alpha);
    }

    @Override
    public double valueAndGradient(INDArray outputs, INDArray targets, double[] stateIn, double[] stateOut,
                                   INDArray gradOut) {
        LossArrays.checkRowLoss(name(), outputs, targets, gradOut);
        int rows = (int) outputs.rows();
        int k = (int) outputs.columns();
        if (stateIn.length < rows || stateOut.length < rows) {
            throw new IllegalArgumentException(name() + ": state arrays hold " + stateIn.length + " and "
                    + stateOut.length + " rows, the batch has " + rows);
        }
        if (k < 2) {
            throw new IllegalArgumentException(name() + ": needs at least 2 classes, got " + k);
        }
        double[] x = LossArrays.rowMajor(outputs);
        double[] y = LossArrays.rowMajor(targets);
        double[] g = new double[x.length];
        double[] scratch = new double[LdrKl.scratchSize(k)];
        double logK = Math.log(k);
        double value = 0.0;
        for (int i = 0; i < rows; i++) {
            double old = stateIn[i];
            if (!(old > 0.0)) {
                throw new IllegalArgumentException(name() + ": state lambda of batch row " + i + " is " + old
                        + "; must be > 0");
            }
            int offset = i * k;
            double norm = LdrKl.scores(x, offset, k, softplus, scratch);
            double lambda = lambda0 - lambda0 * klToUniform(scratch, k, old) / (alpha * logK);
            stateOut[i] = lambda;
            double deviation = lambda - lambda0;
            value += LdrKl.loss(x, y, g, offset, k, margin, lambda, softplus, norm, scratch)
                    - (alpha * logK / (2.0 * lambda0)) * deviation * deviation;
        }
        LossArrays.write(gradOut, g);
        return value;
    }

    /** KL(p ‖ uniform) of {@code p = softmax(s/λ) + 1e-5}, renormalised, for the scores in {@code scratch[0, k)}. */
    private static double klToUniform(double[] scratch, int k, double lambda) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, scratch[c] / lambda);
        }
        double sum = 0.0;
        double[] p = new double[k];
        for (int c = 0; c < k; c++) {
            p[c] = Math.exp(scratch[c] / lambda - max);
            sum += p[c];
        }
        double total = 0.0;
        for (int c = 0; c < k; c++) {
            p[c] = p[c] / sum + PROBABILITY_FLOOR;
            total += p[c];
        }
        double kl = 0.0;
        for (int c = 0; c < k; c++) {
            double pc = p[c] / total;
            kl += pc * Math.log(k * pc);
        }
        return kl;
    }
}
