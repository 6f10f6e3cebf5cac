package io.concord.engine.sync;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.Model;
import io.concord.core.optim.LossAwareOptimizer;
import io.concord.engine.EngineStepContext;
import io.concord.engine.RoundInput;
import io.concord.engine.RoundRecord;
import io.concord.engine.Shard;
import io.concord.engine.SyncMode;
import io.concord.engine.TrainingState;

import java.util.Arrays;
import java.util.List;

/**
 * Parameter averaging: each partition copies the round's parameters, makes {@code localSteps} optimizer steps on its
 * own minibatches, and returns its parameters (and optimizer state, when averaged) weighted by the examples it saw;
 * the driver divides by the total weight. With one local step and plain SGD this equals one machine stepping on the
 * union batch (DL4J's classic equivalence).
 *
 * <p>Curvature optimizers (Sophia) estimate curvature on each partition's own batch here (a per-partition mean, not
 * the global mean that global-batch mode computes); the estimates meet when the state is averaged.
 *
 * <p>Optimizer step counters are global ({@code round·localSteps + k + 1}) when state is averaged, so bias
 * corrections continue across rounds; with {@code averageOptimizerState: false} each round starts from a fresh state
 * and counts from 1.
 */
public final class ParameterAveragingSync implements SyncStrategy {

    private static final long serialVersionUID = 1L;

    @Override
    public SyncMode mode() {
        return SyncMode.PARAMETER_AVERAGING;
    }

    @Override
    public boolean shipsOptimizerState(RoundWork<?> work) {
        return work.config().averageOptimizerState();
    }

    @Override
    public <R> RoundRecord computePartition(RoundWork<R> work, RoundInput input, Shard<R> shard,
                                            EngineStepContext ctx) {
        long start = System.nanoTime();
        Model<R> model = work.model();
        float[] params = input.owned() ? input.params() : input.params().clone();
        boolean averageState = shipsOptimizerState(work);
        float[] state = !averageState ? freshState(work, params)
                : input.owned() ? input.optimizerState() : input.optimizerState().clone();
        int localSteps = work.config().localSteps();
        boolean lossAware = work.optimizer() instanceof LossAwareOptimizer;
        float l2 = OptimizerSteps.fusedL2(work);
        float[] grad = new float[params.length];
        double weight = 0.0;
        double lossSum = 0.0;
        long examples = 0;
        for (int k = 0; k < localSteps; k++) {
            long step = (long) input.round() * localSteps + k;
            ctx.atStep(step);
            List<R> batch = work.plan().batch(shard, step);
            Arrays.fill(grad, 0f);
            BatchLoss loss = model.accumulateGradient(params, batch, grad, ctx);
            if (!(loss.weight() > 0.0)) {
                continue;
            }
            if (model.reduction() == Model.Reduction.MEAN) {
                float s = (float) (1.0 / loss.weight());
                for (int i = 0; i < grad.length; i++) {
                    grad[i] *= s;
                }
            }
            long t = averageState ? step + 1 : k + 1L;
            if (!Float.isNaN(l2)) {
                OptimizerSteps.stepWithL2(work, params, grad, state, t, l2);
            } else {
                // the regulariser's value only matters to a loss-aware optimizer (the round's loss is the data loss)
                double regularizer = model.regularizeSlice(params, grad, 0, params.length, lossAware);
                double meanLoss = loss.lossSum() / (model.reduction() == Model.Reduction.MEAN ? loss.weight() : 1.0);
                OptimizerSteps.step(work, params, grad, state, t, meanLoss + regularizer);
            }
            if (OptimizerSteps.wantsCurvature(work, t)) {
                // Local estimate on this partition's batch; averaged with the state after the round.
                float[] curvature = new float[params.length];
                double w = OptimizerSteps.accumulateCurvature(work, params, batch, curvature,
                        ctx.curvatureContext(step), t);
                OptimizerSteps.foldCurvature(work, curvature, w, state, t);
            }
            weight += loss.weight();
            lossSum += loss.lossSum();
            examples += batch.size();
        }
        scale(params, weight);
        if (averageState) {
            scale(state, weight);
        }
        return new RoundRecord(params, averageState ? state : null, weight, lossSum, examples, ctx.locals(),
                System.nanoTime() - start);
    }

    @Override
    public double apply(RoundWork<?> work, RoundRecord merged, TrainingState state, int round) {
        float inv = inverseWeight(merged, round);
        average(state.params(), merged.vector(), 0, state.params().length, inv);
        if (shipsOptimizerState(work)) {
            average(state.optimizerState(), merged.state(), 0, state.optimizerState().length, inv);
        }
        return loss(work, merged);
    }

    /**
     * {@link #apply} on one owner's slices, in place: elements {@code [lo, hi)} of the summed parameters and
     * {@code [stateLo, stateHi)} of the summed optimizer state (null when it is not averaged) become the averages.
     */
    public double applySlice(RoundWork<?> work, RoundRecord merged, int round, float[] summed, int lo, int hi,
                             float[] summedState, int stateLo, int stateHi) {
        float inv = inverseWeight(merged, round);
        average(summed, summed, lo, hi, inv);
        if (summedState != null) {
            average(summedState, summedState, stateLo, stateHi, inv);
        }
        return loss(work, merged);
    }

    private static float inverseWeight(RoundRecord merged, int round) {
        if (!(merged.weight() > 0.0)) {
            throw new IllegalStateException("round " + round + " saw no examples (total weight "
                    + merged.weight() + ")");
        }
        return (float) (1.0 / merged.weight());
    }

    private static void average(float[] target, float[] summed, int lo, int hi, float inv) {
        for (int i = lo; i < hi; i++) {
            target[i] = summed[i] * inv;
        }
    }

    private static double loss(RoundWork<?> work, RoundRecord merged) {
        double scale = work.model().reduction() == Model.Reduction.MEAN ? 1.0 / merged.weight()
                : 1.0 / (work.config().localSteps() * (double) merged.partitions());
        return merged.lossSum() * scale;
    }

    private static float[] freshState(RoundWork<?> work, float[] params) {
        float[] state = new float[work.optimizer().stateSize(params.length)];
        work.optimizer().initialiseState(state, params);
        return state;
    }

    private static void scale(float[] values, double weight) {
        float w = (float) weight;
        for (int i = 0; i < values.length; i++) {
            values[i] *= w;
        }
    }
}
