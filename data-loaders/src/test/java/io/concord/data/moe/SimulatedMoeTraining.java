package io.concord.data.moe;

import io.concord.core.moe.GlobalBatchRound;
import io.concord.core.moe.MoeExample;
import io.concord.core.moe.MoeModel;
import io.concord.core.moe.RoutingTally;
import io.concord.core.optim.Adam;

import java.util.ArrayList;
import java.util.List;

/**
 * Global-batch training of a {@link MoeModel} over simulated partitions in one JVM: every step, partition j takes
 * the next {@code perPartition} examples of its own shard (examples {@code j, j+P, j+2P, …} of the generator), the
 * round is computed by {@link GlobalBatchRound} and Adam updates the float parameters. Used by the training test and
 * by {@link MoeSimulatedBench}.
 */
final class SimulatedMoeTraining {

    record Outcome(float[] params, double lastTrainLoss, double firstTrainLoss, long roundNanos) {
    }

    private SimulatedMoeTraining() {
    }

    static Outcome train(MoeModel model, DomainDataGenerator data, int partitions, int perPartition, int steps,
                         double lr, long seed) {
        float[] params = new float[model.numParams()];
        model.initParams(params, seed);
        Adam adam = Adam.adam(lr);
        float[] state = new float[adam.stateSize(params.length)];
        adam.initialiseState(state, params);
        long[] previousCounts = null;
        double first = Double.NaN;
        double last = Double.NaN;
        long nanos = 0;
        for (int step = 0; step < steps; step++) {
            List<List<MoeExample>> parts = new ArrayList<>();
            for (int j = 0; j < partitions; j++) {
                List<MoeExample> part = new ArrayList<>(perPartition);
                for (int k = 0; k < perPartition; k++) {
                    part.add(data.example((long) (step * perPartition + k) * partitions + j));
                }
                parts.add(part);
            }
            double[] p = new double[params.length];
            for (int k = 0; k < p.length; k++) {
                p[k] = params[k];
            }
            long t0 = System.nanoTime();
            GlobalBatchRound.Result round = GlobalBatchRound.run(model, p, parts, seed, step, previousCounts);
            nanos += System.nanoTime() - t0;
            previousCounts = round.expertCounts();
            float[] grad = new float[params.length];
            for (int k = 0; k < grad.length; k++) {
                grad[k] = (float) round.gradient()[k];
            }
            adam.step(params, grad, state, step + 1);
            if (step == 0) {
                first = round.tally().meanTaskLoss();
            }
            last = round.tally().meanTaskLoss();
        }
        return new Outcome(params, last, first, nanos);
    }

    /** Held-out routing and loss over examples {@code [from, from + n)} of the generator. */
    static RoutingTally evaluate(MoeModel model, float[] params, DomainDataGenerator data, long from, int n) {
        return model.evaluate(params, data.examples(from, from + n));
    }
}
