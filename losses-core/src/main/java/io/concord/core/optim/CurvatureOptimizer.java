package io.concord.core.optim;

import io.concord.core.model.HessianVectorProductModel;
import io.concord.core.model.SampledLabelGradientModel;

/**
 * An optimizer that also needs a diagonal curvature estimate every few steps (Sophia). The engine drives it:
 * <ol>
 *   <li>after {@link #step} number {@code t}, if {@link #wantsCurvature(long) wantsCurvature(t)}, compute an estimate at
 *   the <em>updated</em> parameters on a fresh batch, reduced over all partitions to a <em>global mean</em>:
 *   <ul>
 *     <li>{@link Estimator#GAUSS_NEWTON_BARTLETT}: each partition ADDS the gradient of its summed loss against labels
 *     sampled from the model's own predictive distribution
 *     ({@link SampledLabelGradientModel#accumulateSampledLabelGradient}); the engine sums over partitions and divides
 *     by the total example weight. Pass that mean gradient ĝ unsquared: the optimizer squares it. Squaring per
 *     partition and averaging the squares is a different, variance-inflated estimator (reference note 17).</li>
 *     <li>{@link Estimator#HUTCHINSON}: draw u = {@link Curvature#hutchinsonProbe} (a function of seed and t only, so
 *     every partition uses the same u), each partition ADDS its summed Hessian-vector product H·u
 *     ({@link HessianVectorProductModel#accumulateHessianVectorProduct}); sum, divide by the total weight, and pass
 *     {@link Curvature#hutchinsonEstimate u ⊙ (H̄u)}.</li>
 *   </ul></li>
 *   <li>{@link #foldCurvature} folds the estimate into the optimizer state (where the engine keeps it).</li>
 * </ol>
 * The reference clips the sampled-label gradient with the same global-norm clip as the real gradient (1.0 in its GPT-2
 * config); the engine should apply its gradient clip to ĝ too.
 */
public interface CurvatureOptimizer extends Optimizer {

    /** Which curvature estimate {@link #foldCurvature} expects. */
    enum Estimator { GAUSS_NEWTON_BARTLETT, HUTCHINSON }

    Estimator estimator();

    /** Whether the engine must compute a curvature estimate right after step {@code t} (1-based). */
    boolean wantsCurvature(long t);

    /** Folds a global-mean estimate (see the class comment for what it is per estimator) into {@code state}. */
    void foldCurvature(float[] estimate, float[] state);
}
