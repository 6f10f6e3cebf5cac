package io.concord.workload.ultragcn;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.Model;
import io.concord.core.model.StepContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.List;

/**
 * A model shipped once per executor as a broadcast instead of inside every round's task closure. The engine
 * serialises its {@code RoundWork} (model included) with each round's tasks; UltraGCN's model carries the β tables
 * and the item–item neighbour table (and, with positive-excluding sampling, the train matrix): megabytes per round
 * for Gowalla. Behind a broadcast the closure carries only a handle, executors deserialise the model once, and its
 * per-thread scratch buffers live across rounds.
 */
public final class BroadcastModel<R> implements Model<R> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<? extends Model<R>> model;

    public BroadcastModel(Broadcast<? extends Model<R>> model) {
        this.model = model;
    }

    public Model<R> model() {
        return model.value();
    }

    @Override
    public int numParams() {
        return model().numParams();
    }

    @Override
    public void initParams(float[] params, long seed) {
        model().initParams(params, seed);
    }

    @Override
    public BatchLoss accumulateGradient(float[] params, List<R> batch, float[] grad, StepContext ctx) {
        return model().accumulateGradient(params, batch, grad, ctx);
    }

    @Override
    public Reduction reduction() {
        return model().reduction();
    }

    @Override
    public double regularize(float[] params, float[] grad) {
        return model().regularize(params, grad);
    }

    /** Releases the broadcast once training is done. */
    public void destroy() {
        model.destroy();
    }
}
