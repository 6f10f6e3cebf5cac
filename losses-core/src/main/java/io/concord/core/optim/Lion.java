package io.concord.core.optim;

import java.util.Objects;
import io.concord.core.param.ParamException;
import io.concord.core.param.Checks;
/**
 * Lion (Chen et al. 2023; code: google/automl {@code lion/lion_pytorch.py}, lucidrains/lion-pytorch):
 * <pre>
 *   θ ← θ·(1 − lr·λ)                 decoupled weight decay, first
 *   c = β1·m + (1 − β1)·g            interpolation used only for the update
 *   θ ← θ − lr·∇𝒦(c)                 ∇𝒦 = sign for Lion (sign(0) = 0)
 *   m ← β2·m + (1 − β2)·g
 * </pre>
 * Defaults lr = 1e-4, β = (0.9, 0.99), λ = 0; no eps, no bias correction; state = m only. The direction map is
 * pluggable (Lion-𝒦, arXiv 2310.05898): {@link Direction#SIGN} (𝒦 = ‖·‖₁) solves
 * {@code min f(x) s.t. ‖x‖∞ ≤ 1/λ}; {@link Direction#L2} (𝒦 = ‖·‖₂, normalised momentum over the whole vector,
 * [derived]) the same with {@code ‖x‖₂ ≤ 1/λ}. {@link #bound} reports the norm against that radius. Invariant for SIGN:
 * if {@code lr·λ ≤ 1} and {@code |θ_i| ≤ 1/λ}, every step keeps {@code |θ_i| ≤ 1/λ}.
 */
public final class Lion implements Optimizer {

    private static final long serialVersionUID = 1L;

    /** The map ∇𝒦 applied to the interpolated momentum. */
    public enum Direction { SIGN, L2 }

    /** The constraint norm of the parameters and the radius {@code 1/λ} Lion-𝒦 converges inside. */
    public record Bound(double norm, double radius) {
        public boolean inside(double tolerance) {
            return norm <= radius * (1.0 + tolerance);
        }
    }

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double weightDecay;
    private final Direction direction;

    public Lion(double learningRate, double beta1, double beta2, double weightDecay, Direction direction) {
        this.learningRate = Checks.positive("lr", learningRate);
        this.beta1 = Checks.inRange("beta1", beta1, 0.0, 1.0, true, true);
        this.beta2 = Checks.inRange("beta2", beta2, 0.0, 1.0, true, false);
        this.weightDecay = Checks.nonNegative("weightDecay", weightDecay);
        if (learningRate * weightDecay > 1.0) {
            throw new ParamException("weightDecay", "" + weightDecay + " is not allowed with "
                    + "lr " + learningRate + "; lr·weightDecay must be <= 1");
        }
        this.direction = Objects.requireNonNull(direction, "direction");
    }

    @Override
    public String name() {
        return "lion";
    }

    @Override
    public int stateSize(int numParams) {
        return numParams;
    }

    @Override
    public void step(float[] params, float[] grad, float[] state, long t) {
        final int n = params.length;
        final float decay = (float) (1.0 - learningRate * weightDecay);
        final float lr = (float) learningRate;
        final float b1 = (float) beta1;
        final float b2 = (float) beta2;
        final float oneMinusB1 = (float) (1.0 - beta1);
        final float oneMinusB2 = (float) (1.0 - beta2);
        if (direction == Direction.SIGN) {
            for (int i = 0; i < n; i++) {
                float g = grad[i];
                float c = b1 * state[i] + oneMinusB1 * g;
                params[i] = params[i] * decay - lr * Math.signum(c);
                state[i] = b2 * state[i] + oneMinusB2 * g;
            }
            return;
        }
        double norm = 0.0;
        for (int i = 0; i < n; i++) {
            double c = b1 * state[i] + (1.0 - b1) * grad[i];
            norm += c * c;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < n; i++) {
            float g = grad[i];
            double c = b1 * state[i] + (1.0 - b1) * g;
            params[i] = (float) (params[i] * decay - (norm == 0.0 ? 0.0 : learningRate * c / norm));
            state[i] = b2 * state[i] + oneMinusB2 * g;
        }
    }

    /** ‖θ‖∞ (SIGN) or ‖θ‖₂ (L2) against {@code 1/λ} (infinite without weight decay). */
    public Bound bound(float[] params) {
        double norm = 0.0;
        for (float p : params) {
            norm = direction == Direction.SIGN ? Math.max(norm, Math.abs(p)) : norm + (double) p * p;
        }
        if (direction == Direction.L2) {
            norm = Math.sqrt(norm);
        }
        return new Bound(norm, weightDecay == 0.0 ? Double.POSITIVE_INFINITY : 1.0 / weightDecay);
    }

    @Override
    public boolean elementWise() {
        return direction == Direction.SIGN;
    }
}
