package io.concord.engine;

import io.concord.testing.LocalSpark;
import io.concord.core.model.BatchLoss;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.Model;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.model.StepContext;
import io.concord.core.optim.Sgd;
import io.concord.data.synthetic.GaussianClasses;
import io.concord.engine.metrics.RunMetrics;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A single-machine reference replays the engine's random draws: the engine's step context and
 * {@link SimpleStepContext} derive the stream of (seed, step, partition) the same way.
 */
class RandomStreamReplayTest {

    private static final int DIM = 5;
    private static final int PARTITIONS = 3;
    private static final long SEED = 77L;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start(PARTITIONS, 1);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void globalBatchWithARandomizedLossEqualsASingleMachineReplayOfItsDraws() {
        List<LabeledVector> data = new GaussianClasses(DIM, 2, 2.0, 0.0).generate(SEED, 0, 91);
        RandomMaskModel model = new RandomMaskModel();
        Sgd sgd = Sgd.plain(0.2);
        int rounds = 12;
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, sgd,
                EngineConfig.defaults().withRounds(rounds).withBatchSize(0), StatisticSet.empty(), SEED,
                RunMetrics.detached());
        JavaRDD<Shard<LabeledVector>> shards = Sharding.shard(sc.parallelize(data, 2), PARTITIONS, SEED,
                StorageLevel.MEMORY_ONLY());
        List<Shard<LabeledVector>> local = new ArrayList<>(shards.collect());
        local.sort(Comparator.comparingInt(Shard::partition));
        TrainingState state = engine.initialState();
        float[] init = state.params().clone();
        engine.train(shards, state, RoundListener.NONE, null);

        float[] replay = reference(model, local, init, rounds, 0);
        float[] otherDraws = reference(model, local, init, rounds, 1000);
        EngineExactnessTest.assertRelativelyClose(state.params(), replay, 1e-6);
        assertThat(EngineExactnessTest.maxAbsDiff(state.params(), otherDraws))
                .as("the draws matter: replaying other steps' streams gives other parameters").isGreaterThan(1e-3);
    }

    /** Plain SGD on the global full batch, each partition's gradient with the context of (seed, step, partition). */
    private static float[] reference(RandomMaskModel model, List<Shard<LabeledVector>> shards, float[] init,
                                     int rounds, long stepOffset) {
        float[] w = init.clone();
        Sgd sgd = Sgd.plain(0.2);
        for (int t = 1; t <= rounds; t++) {
            float[] grad = new float[w.length];
            double weight = 0;
            for (Shard<LabeledVector> shard : shards) {
                weight += model.accumulateGradient(w, shard.records(), grad,
                        new SimpleStepContext(SEED, t - 1 + stepOffset, shard.partition())).weight();
            }
            for (int i = 0; i < grad.length; i++) {
                grad[i] /= (float) weight;
            }
            sgd.step(w, grad, new float[sgd.stateSize(w.length)], t);
        }
        return w;
    }

    /** Loss ½·Σ_i m_i (w_i − x_i)² per record, with a fresh Bernoulli(½) mask m per record from the step's stream. */
    static final class RandomMaskModel implements Model<LabeledVector> {
        private static final long serialVersionUID = 1L;

        @Override
        public int numParams() {
            return DIM;
        }

        @Override
        public void initParams(float[] params, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < params.length; i++) {
                params[i] = (float) r.nextGaussian();
            }
        }

        @Override
        public BatchLoss accumulateGradient(float[] params, List<LabeledVector> batch, float[] grad,
                                            StepContext ctx) {
            SplittableRandom random = ctx.random();
            double loss = 0;
            for (LabeledVector r : batch) {
                float[] x = r.features();
                for (int i = 0; i < DIM; i++) {
                    if (random.nextBoolean()) {
                        float d = params[i] - x[i];
                        loss += 0.5 * d * d;
                        grad[i] += d;
                    }
                }
            }
            return new BatchLoss(loss, batch.size());
        }
    }
}
