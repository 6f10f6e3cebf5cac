package io.concord.engine.sync;

import io.concord.config.ConfigException;
import io.concord.core.model.ModelCapabilities;
import io.concord.core.model.StepContext;
import io.concord.core.optim.Curvature;
import io.concord.core.optim.CurvatureOptimizer;
import io.concord.core.optim.LossAwareOptimizer;
import io.concord.core.optim.Optimizer;
import io.concord.engine.SyncMode;

import java.util.List;

/**
 * What both sync modes do around an optimizer step: gradient-norm clipping, loss-aware steps, and the curvature
 * estimates of {@link CurvatureOptimizer}s (Sophia).
 */
public final class OptimizerSteps {

    private OptimizerSteps() {
    }

    /** One step with the reduced gradient; {@code meanLoss} is the objective at {@code params}. */
    public static void step(RoundWork<?> work, float[] params, float[] grad, float[] state, long t,
                            double meanLoss) {
        clip(grad, work.config().clipNorm());
        Optimizer optimizer = work.optimizer();
        if (optimizer instanceof LossAwareOptimizer lossAware) {
            lossAware.step(params, grad, state, t, meanLoss);
        } else {
            optimizer.step(params, grad, state, t);
        }
    }

    /**
     * The model's uniform L2 coefficient ({@code Model#l2Coefficient}) when the step may add that gradient itself
     * ({@link Optimizer#stepSliceWithL2}, bit-identical to regularising first): nothing reads the regularised
     * gradient before the step (no clipping, no loss-aware step). {@code NaN}: regularise first.
     */
    public static float fusedL2(RoundWork<?> work) {
        if (work.config().clipNorm() > 0 || work.optimizer() instanceof LossAwareOptimizer) {
            return Float.NaN;
        }
        return work.model().l2Coefficient();
    }

    /**
     * {@link #step} of the whole vector for a gradient that still lacks the model's L2 {@code l2}, a value of
     * {@link #fusedL2} (so there is nothing to clip and no loss to pass).
     */
    public static void stepWithL2(RoundWork<?> work, float[] params, float[] grad, float[] state, long t, float l2) {
        work.optimizer().stepSliceWithL2(params, grad, 0, params.length, state, t, l2);
    }

    /** Scales {@code grad} so its L2 norm is at most {@code maxNorm} (no-op when {@code maxNorm <= 0}). */
    public static void clip(float[] grad, double maxNorm) {
        if (!(maxNorm > 0)) {
            return;
        }
        double sq = 0;
        for (float g : grad) {
            sq += g * (double) g;
        }
        double norm = Math.sqrt(sq);
        if (norm > maxNorm) {
            float s = (float) (maxNorm / norm);
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= s;
            }
        }
    }

    /** Whether the optimizer wants a curvature estimate right after step {@code t}. */
    public static boolean wantsCurvature(RoundWork<?> work, long t) {
        return work.optimizer() instanceof CurvatureOptimizer c && c.wantsCurvature(t);
    }

    /**
     * Adds this partition's curvature contribution at {@code params} on {@code batch} into {@code sum} (the summed
     * sampled-label gradient for Gauss–Newton–Bartlett, the summed H·u for Hutchinson) and returns the batch weight.
     */
    public static <R> double accumulateCurvature(RoundWork<R> work, float[] params, List<R> batch, float[] sum,
                                                 StepContext ctx, long t) {
        CurvatureOptimizer optimizer = (CurvatureOptimizer) work.optimizer();
        ModelCapabilities<R> model = work.capabilities();
        return switch (optimizer.estimator()) {
            case GAUSS_NEWTON_BARTLETT -> model.sampledLabelGradients()
                    .accumulateSampledLabelGradient(params, batch, sum, ctx);
            case HUTCHINSON -> model.hessianVectorProducts().accumulateHessianVectorProduct(params, batch,
                    Curvature.hutchinsonProbe(work.seed(), t, params.length), sum, ctx);
        };
    }

    /**
     * Turns the summed contributions of all partitions (total weight {@code weight}) into the global-mean estimate
     * and folds it into {@code state}: the mean sampled-label gradient (clipped like a gradient, squared by the
     * optimizer — never per-partition squares), or u ⊙ (mean H·u).
     */
    public static void foldCurvature(RoundWork<?> work, float[] sum, double weight, float[] state, long t) {
        CurvatureOptimizer optimizer = (CurvatureOptimizer) work.optimizer();
        float inv = (float) (1.0 / weight);
        for (int i = 0; i < sum.length; i++) {
            sum[i] *= inv;
        }
        float[] estimate = switch (optimizer.estimator()) {
            case GAUSS_NEWTON_BARTLETT -> {
                clip(sum, work.config().clipNorm());
                yield sum;
            }
            case HUTCHINSON -> Curvature.hutchinsonEstimate(Curvature.hutchinsonProbe(work.seed(), t, sum.length), sum);
        };
        optimizer.foldCurvature(estimate, state);
    }

    /** Checks, before anything runs, that the optimizer's needs are met by the model and the sync mode. */
    public static void checkCompatible(RoundWork<?> work) {
        Optimizer optimizer = work.optimizer();
        if (optimizer instanceof CurvatureOptimizer c) {
            ModelCapabilities<?> model = work.capabilities();
            boolean ok = switch (c.estimator()) {
                case GAUSS_NEWTON_BARTLETT -> model.sampledLabelGradients() != null;
                case HUTCHINSON -> model.hessianVectorProducts() != null;
            };
            if (!ok) {
                throw new ConfigException("optimizer.name", optimizer.name(),
                        "an optimizer this model supports: " + optimizer.name() + " needs "
                                + (c.estimator() == CurvatureOptimizer.Estimator.HUTCHINSON
                                ? "Hessian-vector products" : "sampled-label gradients") + ", which "
                                + work.model().getClass().getSimpleName() + " does not provide");
            }
        }
        if (work.config().sync() == SyncMode.PARAMETER_AVERAGING
                && work.config().averageOptimizerState() && !optimizer.stateIsAverageable()) {
            throw new ConfigException("train.averageOptimizerState", true,
                    "false with optimizer " + optimizer.name() + " under parameter-averaging (its state holds "
                            + "projections of local gradients, which cannot be averaged), or train.sync: global-batch");
        }
    }
}
