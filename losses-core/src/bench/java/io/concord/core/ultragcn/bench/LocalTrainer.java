package io.concord.core.ultragcn.bench;

import io.concord.core.metric.DotProductRanker;
import io.concord.core.metric.RankingAccumulator;
import io.concord.core.metric.RankingResult;
import io.concord.core.model.BatchLoss;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.optim.Adam;
import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.Interaction;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.core.ultragcn.UltraGcnModel;
import io.concord.core.util.Seeds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The official training loop on one machine, no Spark: per epoch a fresh shuffle of the train pairs, mini-batches,
 * one Adam step per batch on the SUMMED batch loss plus γ·½‖θ‖². With {@code threads > 1} each batch is cut into
 * contiguous slices computed in parallel (partition = slice index, as the engine's global-batch mode does) and their
 * gradients are summed. A benchmark helper, not a unit test.
 */
final class LocalTrainer implements AutoCloseable {

    private final InteractionGraph graph;
    private final UltraGcnModel model;
    private final Adam adam;
    private final int batchSize;
    private final long seed;
    private final int threads;
    private final List<Interaction> train;
    private final float[] params;
    private final float[] state;
    private final float[][] grads;
    private final ExecutorService pool;
    private long step;

    LocalTrainer(InteractionGraph graph, UltraGcnModel model, double learningRate, int batchSize, long seed,
                 int threads) {
        this.graph = graph;
        this.model = model;
        this.adam = Adam.adam(learningRate);
        this.batchSize = batchSize;
        this.seed = seed;
        this.threads = threads;
        this.train = graph.trainInteractions();
        this.params = new float[model.numParams()];
        model.initParams(params, seed);
        this.state = new float[adam.stateSize(params.length)];
        adam.initialiseState(state, params);
        this.grads = new float[threads][params.length];
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
    }

    float[] params() {
        return params;
    }

    /** One epoch; returns the mean batch loss (batch loss = sum over the batch + regulariser). */
    double trainEpoch(int epoch) throws Exception {
        int[] order = Seeds.permutation(train.size(), Seeds.stream(seed, 0xE9L, epoch));
        double lossSum = 0;
        int batches = 0;
        List<Interaction> batch = new ArrayList<>(batchSize);
        for (int start = 0; start < order.length; start += batchSize) {
            batch.clear();
            for (int p = start; p < Math.min(order.length, start + batchSize); p++) {
                batch.add(train.get(order[p]));
            }
            lossSum += step(batch);
            batches++;
        }
        return lossSum / batches;
    }

    private double step(List<Interaction> batch) throws Exception {
        long s = step++;
        double loss;
        if (threads == 1) {
            Arrays.fill(grads[0], 0f);
            loss = model.accumulateGradient(params, batch, grads[0], SimpleStepContext.of(seed, s)).lossSum();
        } else {
            List<Future<BatchLoss>> parts = new ArrayList<>();
            int n = batch.size();
            for (int t = 0; t < threads; t++) {
                final int part = t;
                final List<Interaction> slice = batch.subList(n * t / threads, n * (t + 1) / threads);
                parts.add(pool.submit(() -> {
                    Arrays.fill(grads[part], 0f);
                    return model.accumulateGradient(params, slice, grads[part], new SimpleStepContext(seed, s, part));
                }));
            }
            loss = 0;
            for (Future<BatchLoss> f : parts) {
                loss += f.get().lossSum();
            }
            float[] g0 = grads[0];
            for (int t = 1; t < threads; t++) {
                float[] gt = grads[t];
                for (int p = 0; p < g0.length; p++) {
                    g0[p] += gt[p];
                }
            }
        }
        loss += model.regularize(params, grads[0]);
        adam.step(params, grads[0], state, s + 1);
        return loss;
    }

    RankingResult evaluate(int k) {
        Adjacency tr = graph.train();
        Adjacency te = graph.test();
        RankingAccumulator acc = new DotProductRanker(model.dim(), k).evaluate(params, 0, params,
                model.itemOffset(0), model.numItems(), 0, model.numUsers(), tr.offsetArray(), tr.columnArray(),
                te.offsetArray(), te.columnArray());
        return acc.result(RankingAccumulator.Averaging.ALL_USERS);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
