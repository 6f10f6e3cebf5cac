package io.concord.core.optim;

import io.concord.core.param.ParamException;
import io.concord.core.param.Checks;
import java.util.Objects;

/**
 * ⊥Grad (OrthoGrad, Prieto et al., arXiv 2501.04697; code: EIFY/grokking-at-the-edge-of-numerical-stability
 * {@code orthograd.py}) around any optimizer: per parameter tensor (flattened), remove the gradient component along
 * the weights and restore the gradient's norm, then let the base optimizer step on the result:
 * <pre>
 *   g⊥ = g − ((w·g)/(w·w + 1e-30))·w;    g⊥ ← g⊥·‖g‖/(‖g⊥‖ + 1e-30)
 * </pre>
 * The paper states the projection only; the reference code adds the norm-preserving rescale, which is kept. Tensors
 * are declared segments of the flat vector (offset, length); without segments the whole vector is one tensor;
 * coordinates outside every segment pass through unchanged. The state is the base optimizer's. The loss-aware step
 * forwards the loss when the base is a {@link LossAwareOptimizer}.
 */
public final class PerpGrad implements LossAwareOptimizer {

    private static final long serialVersionUID = 1L;

    private final Optimizer base;
    private final double eps;
    private final int[] segments;

    /**
     * @param base     the optimizer that steps on the projected gradient
     * @param eps      the reference's guard, 1e-30
     * @param segments {@code [offset0, length0, offset1, length1, …]} or {@code null} for the whole vector
     */
    public PerpGrad(Optimizer base, double eps, int[] segments) {
        this.base = Objects.requireNonNull(base, "base");
        if (base instanceof CurvatureOptimizer) {
            throw new ParamException("base", "" + base.name()
                    + " needs curvature estimates; perp-grad does not forward them");
        }
        this.eps = Checks.positive("eps", eps);
        if (segments != null && segments.length % 2 != 0) {
            throw new ParamException("segments", "needs (offset, length) pairs");
        }
        this.segments = segments == null ? null : segments.clone();
    }

    @Override
    public String name() {
        return "perp-grad";
    }

    public Optimizer base() {
        return base;
    }

    @Override
    public int stateSize(int numParams) {
        return base.stateSize(numParams);
    }

    @Override
    public void initialiseState(float[] state, float[] params) {
        base.initialiseState(state, params);
    }

    @Override
    public boolean stateIsAverageable() {
        return base.stateIsAverageable();
    }

    @Override
    public void step(float[] params, float[] grad, float[] state, long t) {
        projectAll(params, grad);
        base.step(params, grad, state, t);
    }

    @Override
    public void step(float[] params, float[] grad, float[] state, long t, double loss) {
        projectAll(params, grad);
        if (base instanceof LossAwareOptimizer aware) {
            aware.step(params, grad, state, t, loss);
        } else {
            base.step(params, grad, state, t);
        }
    }

    private void projectAll(float[] params, float[] grad) {
        if (segments == null) {
            project(params, grad, 0, params.length);
        } else {
            for (int s = 0; s < segments.length; s += 2) {
                int offset = segments[s];
                int length = segments[s + 1];
                if (offset < 0 || length < 0 || offset + length > params.length) {
                    throw new ParamException("segments", "segment (" + offset + ", " + length
                            + ") is outside the " + params.length + " parameters");
                }
                project(params, grad, offset, length);
            }
        }
    }

    private void project(float[] w, float[] g, int offset, int length) {
        double wg = 0.0;
        double ww = 0.0;
        double gg = 0.0;
        for (int i = offset; i < offset + length; i++) {
            wg += (double) w[i] * g[i];
            ww += (double) w[i] * w[i];
            gg += (double) g[i] * g[i];
        }
        double coefficient = wg / (ww + eps);
        double[] perp = new double[length];
        double pp = 0.0;
        for (int i = 0; i < length; i++) {
            perp[i] = g[offset + i] - coefficient * w[offset + i];
            pp += perp[i] * perp[i];
        }
        double rescale = Math.sqrt(gg) / (Math.sqrt(pp) + eps);
        for (int i = 0; i < length; i++) {
            g[offset + i] = (float) (perp[i] * rescale);
        }
    }
}
