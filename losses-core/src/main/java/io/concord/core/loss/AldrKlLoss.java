package io.concord.core.loss;

import io.concord.core.optim.Hyper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
        this.margin = Hyper.nonNegative("loss.margin", margin);
        this.lambda0 = Hyper.positive("loss.lambda0", lambda0);
        if (!(alpha > 1.0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("loss.alpha: " + alpha + " is not allowed; must be a finite number > 1");
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
        if (stateIn.length < rows || stateOut.length < rows) {
            throw new IllegalArgumentException(name() + ": state arrays hold " + stateIn.length + " and "
                    + stateOut.length + " rows, the batch has " + rows);
        }
        double k = outputs.columns();
        if (k < 2) {
            throw new IllegalArgumentException(name() + ": needs at least 2 classes, got " + (long) k);
        }
        INDArray x = LossArrays.asDouble(outputs);
        INDArray y = LossArrays.asDouble(targets);
        LdrKl.Scores scores = LdrKl.scores(x, softplus);
        double[] old = new double[rows];
        for (int i = 0; i < rows; i++) {
            old[i] = stateIn[i];
            if (!(old[i] > 0.0)) {
                throw new IllegalArgumentException(name() + ": state lambda of batch row " + i + " is " + old[i]
                        + "; must be > 0");
            }
        }
        INDArray oldLambda = Nd4j.create(old, new long[] {rows, 1}, DataType.DOUBLE);
        INDArray p = LossArrays.logSoftmax(scores.s().divColumnVector(oldLambda), null);
        p = Transforms.exp(p, false).addi(PROBABILITY_FLOOR);
        p.diviColumnVector(p.sum(true, 1));
        INDArray kl = p.mul(Transforms.log(p.mul(k), false)).sum(true, 1);
        double logK = Math.log(k);
        INDArray newLambda = kl.mul(-lambda0 / (alpha * logK)).addi(lambda0);
        INDArray deviation = newLambda.sub(lambda0);
        double extra = -(alpha * logK / (2.0 * lambda0)) * deviation.mul(deviation).sumNumber().doubleValue();
        INDArray grad = Nd4j.createUninitialized(DataType.DOUBLE, x.shape());
        double value = LdrKl.lossAndGradient(scores, y, margin, newLambda, grad).sumNumber().doubleValue() + extra;
        double[] fresh = newLambda.data().asDouble();
        System.arraycopy(fresh, 0, stateOut, 0, rows);
        gradOut.assign(grad);
        return value;
    }
}
