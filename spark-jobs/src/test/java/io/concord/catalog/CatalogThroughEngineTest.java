package io.concord.catalog;

import io.concord.core.loss.LossRegistry;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.LinearClassifier;
import io.concord.core.model.LogitObjective;
import io.concord.core.optim.LinearSoftmaxCurvature;
import io.concord.core.optim.MatrixBlock;
import io.concord.core.optim.Optimizer;
import io.concord.core.optim.OptimizerRegistry;
import io.concord.core.stat.GlobalStatistic;
import io.concord.data.synthetic.GaussianClasses;
import io.concord.engine.EngineConfig;
import io.concord.engine.RoundListener;
import io.concord.engine.Shard;
import io.concord.engine.Sharding;
import io.concord.engine.StatisticSet;
import io.concord.engine.SyncMode;
import io.concord.engine.TrainingEngine;
import io.concord.engine.TrainingState;
import io.concord.engine.checkpoint.CheckpointStore;
import io.concord.engine.metrics.RunMetrics;
import io.concord.core.loss.ExampleStateDelta;
import io.concord.job.ConcordSpark;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loss and optimizer catalog through the real engine: every optimizer converges on the proving-ground model in
 * both sync modes (Sophia's curvature estimated through the engine), every classification loss trains, and a loss
 * with per-example state (ALDR-KL) stays exact under task failures and resumes.
 */
class CatalogThroughEngineTest {

    private static final int DIM = 8;
    private static final int CLASSES = 4;
    private static final long SEED = 99L;
    private static JavaSparkContext sc;
    private static List<LabeledVector> train;
    private static List<LabeledVector> test;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(ConcordSpark.conf("local[4,3]", "catalog-test", Map.of("spark.ui.enabled", "false")));
        GaussianClasses gen = new GaussianClasses(DIM, CLASSES, 5.0, 0.0);
        train = gen.generate(SEED, 0, 800);
        test = gen.generateClean(SEED, 100_000, 400);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", Map.of("lr", 0.2, "momentum", 0.9)),
                Arguments.of("adam", Map.of("lr", 0.05)),
                Arguments.of("adamw", Map.of("lr", 0.05)),
                Arguments.of("adamw", Map.of("lr", 0.05, "convention", "hf")),
                Arguments.of("lion", Map.of("lr", 0.01, "weightDecay", 0.1)),
                Arguments.of("sophia-g", Map.of("lr", 0.05, "rho", 0.05, "weightDecay", 0.0, "interval", 2)),
                Arguments.of("sophia-h", Map.of("lr", 0.05, "weightDecay", 0.0, "interval", 2)),
                Arguments.of("fira", Map.of("lr", 0.05, "rank", 2, "updateProjGap", 10)),
                Arguments.of("frugal", Map.of("lr", 0.05, "density", 0.5, "updateGap", 10)),
                Arguments.of("normalized-gd", Map.of("lr", 0.5)),
                Arguments.of("perp-grad", Map.of("base", Map.of("name", "adam", "lr", 0.05))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("optimizers")
    void everyOptimizerConvergesThroughBothSyncModes(String name, Map<String, Object> params) {
        for (SyncMode mode : SyncMode.values()) {
            LinearClassifier model = new LinearClassifier(DIM, CLASSES,
                    LogitObjective.of(LossRegistry.create("cross-entropy", Map.of()), CLASSES), 0.0);
            Optimizer optimizer = OptimizerRegistry.create(name, params,
                    List.of(new MatrixBlock(0, CLASSES, DIM)));
            EngineConfig config = EngineConfig.defaults().withSync(mode, mode == SyncMode.GLOBAL_BATCH ? 1 : 2)
                    .withRounds(40).withBatchSize(32);
            if (!optimizer.stateIsAverageable() && mode == SyncMode.PARAMETER_AVERAGING) {
                config = new EngineConfig(mode, 40, null, 32, 2, false, null, null, null, null, null, null, null);
            }
            TrainingState state = train(model, optimizer, config, StatisticSet.empty(), null);
            double accuracy = accuracy(model, state.params());
            System.out.printf("optimizer %s %s %s accuracy %.4f%n", name, params, mode, accuracy);
            assertThat(accuracy).as(name + " " + params + " " + mode).isGreaterThan(0.9);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void everyClassificationLossTrainsThroughTheEngine(String name, int classes, Map<String, Object> params) {
        GaussianClasses gen = new GaussianClasses(DIM, classes, 5.0, 0.0);
        List<LabeledVector> data = gen.generate(SEED, 0, 800);
        List<LabeledVector> held = gen.generateClean(SEED, 100_000, 400);
        LinearClassifier model = new LinearClassifier(DIM, classes,
                LogitObjective.of(LossRegistry.create(name, params), classes), 0.0);
        EngineConfig config = EngineConfig.defaults().withRounds(60).withBatchSize(32);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model,
                OptimizerRegistry.create("adam", Map.of("lr", 0.05)), config, new StatisticSet(model.statistics()),
                SEED, RunMetrics.detached());
        TrainingState state = engine.initialState();
        engine.train(Sharding.shard(sc.parallelize(data, 2), 4, SEED, StorageLevel.MEMORY_AND_DISK_SER()), state,
                RoundListener.NONE, null);
        double accuracy = accuracy(model, state.params(), held);
        System.out.printf("loss %s accuracy %.4f%n", name, accuracy);
        assertThat(accuracy).as(name).isGreaterThan(0.85);
    }

    static Stream<Arguments> losses() {
        Map<String, Object> none = Map.of();
        return Stream.of(Arguments.of("cross-entropy", CLASSES, none), Arguments.of("gce", CLASSES, none),
                Arguments.of("mae", CLASSES, none), Arguments.of("z-loss", CLASSES, none),
                Arguments.of("stablemax", CLASSES, none), Arguments.of("ldr-kl", CLASSES, none),
                Arguments.of("aldr-kl", CLASSES, none), Arguments.of("ensloss", 2, none),
                Arguments.of("pass-at-n", CLASSES, Map.of("n", 4)));
    }

    @Test
    void perExampleStateIsExactUnderTaskFailures() {
        TrainingState clean = trainAldr(EngineConfig.defaults().withRounds(8).withBatchSize(40), null);
        TrainingState faulty = trainAldr(EngineConfig.defaults().withRounds(8).withBatchSize(40)
                .withFault(new EngineConfig.FaultInjection(4, 2)), null);
        assertThat(faulty.params()).containsExactly(clean.params());
        ExampleStateDelta a = (ExampleStateDelta) clean.statistics()[0];
        ExampleStateDelta b = (ExampleStateDelta) faulty.statistics()[0];
        assertThat(a.size()).isEqualTo(b.size()).isEqualTo(train.size());
        double[] ra = new double[a.width()];
        double[] rb = new double[b.width()];
        for (LabeledVector v : train) {
            assertThat(a.lookup(v.id(), ra, 0)).isTrue();
            assertThat(b.lookup(v.id(), rb, 0)).isTrue();
            assertThat(rb).containsExactly(ra);
        }
    }

    @Test
    void perExampleStateResumesBitIdentically(@TempDir java.nio.file.Path tmp) {
        EngineConfig config = EngineConfig.defaults().withRounds(8).withBatchSize(40);
        TrainingState uninterrupted = trainAldr(config, null);
        LinearClassifier model = aldrModel();
        CheckpointStore store = new CheckpointStore(new Path(tmp.toUri().toString()), sc.hadoopConfiguration(),
                new StatisticSet(model.statistics()), SEED, 5, 2);
        trainAldr(config.withRounds(5), store);
        TrainingState resumed = store.load(store.latest().orElseThrow());
        assertThat(resumed.statistics()[0]).isInstanceOf(ExampleStateDelta.class);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model,
                OptimizerRegistry.create("adam", Map.of("lr", 0.05)), config, new StatisticSet(model.statistics()),
                SEED, RunMetrics.detached());
        engine.train(shards(), resumed, RoundListener.NONE, null);
        assertThat(resumed.params()).containsExactly(uninterrupted.params());
    }

    private static LinearClassifier aldrModel() {
        return new LinearClassifier(DIM, CLASSES, LogitObjective.of(LossRegistry.create("aldr-kl", Map.of()),
                CLASSES), 0.0);
    }

    private static TrainingState trainAldr(EngineConfig config, CheckpointStore store) {
        LinearClassifier model = aldrModel();
        List<GlobalStatistic<?>> stats = model.statistics();
        assertThat(stats).singleElement().extracting(GlobalStatistic::freshness)
                .isEqualTo(GlobalStatistic.Freshness.CUMULATIVE);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model,
                OptimizerRegistry.create("adam", Map.of("lr", 0.05)), config, new StatisticSet(stats), SEED,
                RunMetrics.detached());
        TrainingState state = engine.initialState();
        engine.train(shards(), state, RoundListener.NONE, store);
        return state;
    }

    private static JavaRDD<Shard<LabeledVector>> shards() {
        return Sharding.shard(sc.parallelize(train, 2), 4, SEED, StorageLevel.MEMORY_AND_DISK_SER());
    }

    private static TrainingState train(LinearClassifier model, Optimizer optimizer, EngineConfig config,
                                       StatisticSet statistics, CheckpointStore store) {
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, optimizer, config, statistics, SEED,
                RunMetrics.detached(), new LinearSoftmaxCurvature(model));
        TrainingState state = engine.initialState();
        engine.train(shards(), state, RoundListener.NONE, store);
        return state;
    }

    private static double accuracy(LinearClassifier model, float[] params) {
        return accuracy(model, params, test);
    }

    private static double accuracy(LinearClassifier model, float[] params, List<LabeledVector> held) {
        long correct = held.stream().filter(v -> model.predict(params, v.features()) == v.label()).count();
        return correct / (double) held.size();
    }
}
