package io.concord.core.optim;

import java.util.Objects;
import io.concord.core.param.Checks;
/**
 * Normalised gradient descent for (separable) logistic regression with large step sizes. Two normalisations:
 * <ul>
 *   <li>{@link Normalization#GRADIENT_NORM} (default): {@code θ ← θ − lr·g/‖g‖₂}, the "Normalized LR+GD" proposed by
 *   Tyurin ("From Logistic Regression to the Perceptron Algorithm: Exploring Gradient Descent with Large Step Sizes",
 *   arXiv 2412.08424) from the perceptron limit of large-step GD. [unverified]: the abstract names the method; the
 *   exact update was not checked against the paper body.</li>
 *   <li>{@link Normalization#LOSS}: {@code θ ← θ − (lr/L(θ))·g}, the risk-adaptive large step size of Zhang, Wu, Lin
 *   and Bartlett ("Minimax Optimal Convergence of Gradient Descent in Logistic Regression via Large and Adaptive
 *   Stepsizes", arXiv 2504.04105) [page: abstract]. Needs the loss: it is a {@link LossAwareOptimizer}.</li>
 * </ul>
 * Stateless. A zero gradient (or zero loss) leaves θ unchanged.
 */
public final class NormalizedGd implements LossAwareOptimizer {

    private static final long serialVersionUID = 1L;

    /** What the gradient step is divided by. */
    public enum Normalization { GRADIENT_NORM, LOSS }

    private final double learningRate;
    private final Normalization normalization;

    public NormalizedGd(double learningRate, Normalization normalization) {
        this.learningRate = Checks.positive("lr", learningRate);
        this.normalization = Objects.requireNonNull(normalization, "normalization");
    }

    @Override
    public String name() {
        return "normalized-gd";
    }

    public Normalization normalization() {
        return normalization;
    }

    @Override
    public int stateSize(int numParams) {
        return 0;
    }

    @Override
    public void step(float[] params, float[] grad, float[] state, long t) {
        if (normalization == Normalization.LOSS) {
            throw new IllegalStateException("optimizer.normalize: loss needs the loss value; the engine must call "
                    + "LossAwareOptimizer.step(params, grad, state, t, loss)");
        }
        double norm = 0.0;
        for (float g : grad) {
            norm += (double) g * g;
        }
        apply(params, grad, norm == 0.0 ? 0.0 : learningRate / Math.sqrt(norm));
    }

    @Override
    public void step(float[] params, float[] grad, float[] state, long t, double loss) {
        if (normalization == Normalization.GRADIENT_NORM) {
            step(params, grad, state, t);
            return;
        }
        if (!(loss >= 0.0) || Double.isInfinite(loss)) {
            throw new IllegalArgumentException("normalized-gd: loss " + loss + " must be finite and >= 0");
        }
        apply(params, grad, loss == 0.0 ? 0.0 : learningRate / loss);
    }

    private static void apply(float[] params, float[] grad, double scale) {
        for (int i = 0; i < params.length; i++) {
            params[i] -= (float) (scale * grad[i]);
        }
    }
}
