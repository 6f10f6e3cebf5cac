package io.concord.engine;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.Model;
import io.concord.core.model.ModelCapabilities;
import io.concord.core.model.StepContext;
import io.concord.core.optim.Adam;
import io.concord.data.synthetic.GaussianClasses;
import io.concord.engine.metrics.RunMetrics;
import io.concord.testing.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-run bundle reaches the executors once per run: the model is deserialised once per executor (not once per
 * task of every round), or once per task thread for a model that declares itself not thread-safe, and either way
 * the training is the same.
 */
class RunBundleTest {

    private static final int DIM = 4;
    private static final int PARTITIONS = 3;
    private static final int ROUNDS = 5;
    private static final long SEED = 11L;
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
    void aThreadSafeModelIsDeserialisedOncePerExecutorForTheWholeRun() {
        for (Transport transport : List.of(Transport.DRIVER, Transport.ALLREDUCE)) {
            CountingModel.reset();
            train(new CountingModel(true), transport);
            assertThat(CountingModel.threadsByCopy).as(transport + ": one copy on the one local executor")
                    .hasSize(1);
            assertThat(CountingModel.threadsByCopy.values().iterator().next().size())
                    .as(transport + ": shared by task threads").isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aModelThatIsNotThreadSafeGetsOneCopyPerTaskThreadAndTrainsTheSame() {
        CountingModel.reset();
        float[] shared = train(new CountingModel(true), Transport.DRIVER);
        CountingModel.reset();
        float[] perThread = train(new CountingModel(false), Transport.DRIVER);

        assertThat(CountingModel.threadsByCopy).isNotEmpty();
        assertThat(CountingModel.threadsByCopy.size()).as("copies: at most one per task, not one per task and round")
                .isLessThan(PARTITIONS * ROUNDS);
        CountingModel.threadsByCopy.forEach((copy, threads) ->
                assertThat(threads).as("copy %d is used by one thread only", copy).hasSize(1));
        assertThat(perThread).containsExactly(shared);
    }

    private static float[] train(CountingModel model, Transport transport) {
        List<LabeledVector> data = new GaussianClasses(DIM, 2, 2.0, 0.0).generate(SEED, 0, 60);
        EngineConfig config = EngineConfig.defaults().withRounds(ROUNDS).withBatchSize(4).withTransport(transport, 2);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, Adam.adam(0.05), config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        JavaRDD<Shard<LabeledVector>> shards = Sharding.shard(sc.parallelize(data, 2), PARTITIONS, SEED,
                StorageLevel.MEMORY_ONLY());
        TrainingState state = engine.initialState();
        engine.train(shards, state, RoundListener.NONE, null);
        shards.unpersist(true);
        return state.params();
    }

    /** Loss ½·‖w − x‖² per record; records which threads (by id: Spark renames them per task) used which copy. */
    static final class CountingModel implements Model<LabeledVector> {
        private static final long serialVersionUID = 1L;
        private static final AtomicInteger COPIES = new AtomicInteger();
        static final Map<Integer, Set<Long>> threadsByCopy = new ConcurrentHashMap<>();

        private final boolean threadSafe;
        private transient int copy = -1;

        CountingModel(boolean threadSafe) {
            this.threadSafe = threadSafe;
        }

        static void reset() {
            threadsByCopy.clear();
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            copy = COPIES.incrementAndGet();
        }

        @Override
        public ModelCapabilities<LabeledVector> capabilities() {
            ModelCapabilities<LabeledVector> own = ModelCapabilities.implementedBy(this);
            return threadSafe ? own : own.notThreadSafe();
        }

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
            if (copy >= 0) {
                threadsByCopy.computeIfAbsent(copy, c -> ConcurrentHashMap.newKeySet())
                        .add(Thread.currentThread().getId());
            }
            double loss = 0;
            for (LabeledVector r : batch) {
                float[] x = r.features();
                for (int i = 0; i < DIM; i++) {
                    float d = params[i] - x[i];
                    loss += 0.5 * d * d;
                    grad[i] += d;
                }
            }
            return new BatchLoss(loss, batch.size());
        }
    }
}
