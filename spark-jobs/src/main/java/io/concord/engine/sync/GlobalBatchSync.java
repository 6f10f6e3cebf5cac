package io.concord.engine.sync;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.Model;
import io.concord.engine.EngineStepContext;
import io.concord.engine.RoundInput;
import io.concord.engine.RoundRecord;
import io.concord.engine.Shard;
import io.concord.engine.SyncMode;
import io.concord.engine.TrainingState;

import java.util.Arrays;
import java.util.List;

/**
 * Synchronous global-batch SGD: every partition adds the gradient of its minibatch's summed loss; the driver makes
 * one optimizer step on the exact gradient of the union batch (sum ÷ total weight for mean-reduced models).
 */
public final class GlobalBatchSync implements SyncStrategy {

    private static final long serialVersionUID = 1L;

    @Override
    public SyncMode mode() {
        return SyncMode.GLOBAL_BATCH;
    }

    @Override
    public boolean shipsOptimizerState(RoundWork<?> work) {
        return false;
    }

    @Override
    public <R> RoundRecord computePartition(RoundWork<R> work, RoundInput input, Shard<R> shard,
                                            EngineStepContext ctx) {
        long start = System.nanoTime();
        long step = input.round();
        ctx.atStep(step);
        List<R> batch = work.plan().batch(shard, step);
        float[] grad = input.gradientBuffer();
        if (grad != null && grad.length == input.params().length) {
            Arrays.fill(grad, 0f);
        } else {
            grad = new float[input.params().length];
        }
        BatchLoss loss = work.model().accumulateGradient(input.params(), batch, grad, ctx);
        return new RoundRecord(grad, null, loss.weight(), loss.lossSum(), batch.size(), ctx.locals(),
                System.nanoTime() - start);
    }

    @Override
    public double apply(RoundWork<?> work, RoundRecord merged, TrainingState state, int round) {
        if (!(merged.weight() > 0.0)) {
            throw new IllegalStateException("round " + round + " saw no examples (total weight "
                    + merged.weight() + ")");
        }
        Model<?> model = work.model();
        float[] grad = merged.vector();
        double scale = model.reduction() == Model.Reduction.MEAN ? 1.0 / merged.weight() : 1.0;
        if (scale != 1.0) {
            float s = (float) scale;
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= s;
            }
        }
        float[] params = state.params();
        float l2 = OptimizerSteps.fusedL2(work);
        if (!Float.isNaN(l2) && model.regularizerChunk() > 0) {
            // the value from θ before the step, the gradient added inside the optimizer's pass
            double loss = merged.lossSum() * scale + model.splitRegularizerValue(params);
            OptimizerSteps.stepWithL2(work, params, grad, state.optimizerState(), round + 1L, l2);
            return loss;
        }
        double regularizer = model.regularize(params, grad);
        double loss = merged.lossSum() * scale + regularizer;
        OptimizerSteps.step(work, params, grad, state.optimizerState(), round + 1L, loss);
        return loss;
    }
}
