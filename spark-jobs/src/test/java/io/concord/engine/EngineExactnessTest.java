package io.concord.engine;

import io.concord.testing.LocalSpark;
import io.concord.core.loss.SoftmaxCrossEntropy;
import io.concord.core.model.BatchLoss;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.LinearClassifier;
import io.concord.core.model.Model;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.optim.Adam;
import io.concord.core.optim.Optimizer;
import io.concord.core.optim.Sgd;
import io.concord.core.stat.GlobalStatistic.Freshness;
import io.concord.data.synthetic.GaussianClasses;
import io.concord.engine.checkpoint.CheckpointStore;
import io.concord.engine.metrics.RunMetrics;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The engine's proving ground: distributed training must equal its single-machine definition, be reproducible,
 * survive task failures without double counting, and resume bit-identically.
 */
class EngineExactnessTest {

    private static final int DIM = 6;
    private static final int CLASSES = 3;
    private static final int PARTITIONS = 4;
    private static final long SEED = 20261128L;
    private static JavaSparkContext sc;
    private static List<LabeledVector> data;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start(PARTITIONS, 3);
        data = new GaussianClasses(DIM, CLASSES, 3.0, 0.1).generate(SEED, 0, 403);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static <R> JavaRDD<Shard<R>> shards(List<R> records, int partitions) {
        return Sharding.shard(sc.parallelize(records, 3), partitions, SEED, StorageLevel.MEMORY_AND_DISK_SER());
    }

    private static <R> List<Shard<R>> collect(JavaRDD<Shard<R>> shards) {
        List<Shard<R>> list = new ArrayList<>(shards.collect());
        list.sort(Comparator.comparingInt(Shard::partition));
        return list;
    }

    @Test
    void shardsAreBalancedAndDeterministic() {
        JavaRDD<Shard<LabeledVector>> a = shards(data, PARTITIONS);
        JavaRDD<Shard<LabeledVector>> b = shards(data, PARTITIONS);
        List<Integer> sizes = Sharding.sizes(a);
        assertThat(sizes).hasSize(PARTITIONS);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(data.size());
        assertThat(sizes.stream().mapToInt(Integer::intValue).max().getAsInt()
                - sizes.stream().mapToInt(Integer::intValue).min().getAsInt()).isLessThanOrEqualTo(1);
        List<Shard<LabeledVector>> sa = collect(a);
        List<Shard<LabeledVector>> sb = collect(b);
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(sa.get(p).records()).containsExactlyElementsOf(sb.get(p).records());
        }
    }

    @Test
    void globalBatchOverPartitionsEqualsSingleMachineFullBatch() {
        LinearClassifier model = new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE, 1e-3);
        Optimizer optimizer = new Sgd(0.5, 0.9, 0.0, false);
        EngineConfig config = EngineConfig.defaults().withRounds(20).withBatchSize(0);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, optimizer, config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        TrainingState state = engine.initialState();
        float[] init = state.params().clone();
        engine.train(shards(data, PARTITIONS), state, RoundListener.NONE, null);

        float[] reference = init.clone();
        float[] optState = new float[optimizer.stateSize(reference.length)];
        for (int t = 1; t <= 20; t++) {
            float[] grad = new float[reference.length];
            BatchLoss loss = model.accumulateGradient(reference, data, grad, SimpleStepContext.of(SEED, t - 1));
            for (int i = 0; i < grad.length; i++) {
                grad[i] /= (float) loss.weight();
            }
            model.regularize(reference, grad);
            optimizer.step(reference, grad, optState, t);
        }
        assertRelativelyClose(state.params(), reference, 1e-6);
        assertThat(maxAbsDiff(state.params(), init)).isGreaterThan(0.1);
    }

    @Test
    void parameterAveragingEveryStepWithSgdEqualsOneMachineWithNTimesTheBatch() {
        LinearClassifier model = new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE, 0.0);
        Optimizer optimizer = Sgd.plain(0.3);
        int batch = 8;
        EngineConfig config = EngineConfig.defaults().withSync(SyncMode.PARAMETER_AVERAGING, 1)
                .withRounds(20).withBatchSize(batch);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, optimizer, config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        JavaRDD<Shard<LabeledVector>> shards = shards(data, PARTITIONS);
        TrainingState state = engine.initialState();
        float[] reference = state.params().clone();
        engine.train(shards, state, RoundListener.NONE, null);

        List<Shard<LabeledVector>> local = collect(shards);
        BatchPlan plan = engine.work().plan();
        for (int t = 0; t < 20; t++) {
            List<LabeledVector> union = new ArrayList<>();
            for (Shard<LabeledVector> shard : local) {
                union.addAll(plan.batch(shard, t));
            }
            assertThat(union).hasSize(PARTITIONS * batch);
            float[] grad = new float[reference.length];
            model.accumulateGradient(reference, union, grad, SimpleStepContext.of(SEED, t));
            for (int i = 0; i < grad.length; i++) {
                grad[i] /= union.size();
            }
            optimizer.step(reference, grad, new float[0], t + 1);
        }
        assertRelativelyClose(state.params(), reference, 1e-6);
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void sameSeedTwiceGivesBitIdenticalParameters(SyncMode mode) {
        float[] a = trainBalanced(mode, Freshness.TWO_PASS, 8, null).params();
        float[] b = trainBalanced(mode, Freshness.TWO_PASS, 8, null).params();
        assertThat(b).containsExactly(a);
    }

    @ParameterizedTest
    @EnumSource(value = Freshness.class, names = {"TWO_PASS", "STALE_BY_ONE_ROUND"})
    void injectedTaskFailureChangesNothing(Freshness freshness) {
        for (SyncMode mode : SyncMode.values()) {
            TrainingState clean = trainBalanced(mode, freshness, 6, null);
            TrainingState faulty = trainBalanced(mode, freshness, 6, new EngineConfig.FaultInjection(3, 1));
            assertThat(faulty.params()).as(mode + " params").containsExactly(clean.params());
            assertThat(faulty.optimizerState()).as(mode + " optimizer state").containsExactly(clean.optimizerState());
            for (int i = 0; i < clean.statistics().length; i++) {
                assertThat((long[]) faulty.statistics()[i]).as(mode + " statistic " + i)
                        .containsExactly((long[]) clean.statistics()[i]);
            }
            long[] seen = (long[]) clean.statistics()[1];
            int stepsPerRound = mode == SyncMode.PARAMETER_AVERAGING ? 2 : 1;
            assertThat(java.util.Arrays.stream(seen).sum()).isEqualTo((long) PARTITIONS * 16 * stepsPerRound);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Freshness.class, names = {"TWO_PASS", "STALE_BY_ONE_ROUND"})
    void globalStatisticsMatchASingleMachineReimplementation(Freshness freshness) {
        LabelBalancedClassifier model = new LabelBalancedClassifier(DIM, CLASSES, freshness);
        Optimizer optimizer = Sgd.plain(0.2);
        int batch = 16;
        EngineConfig config = EngineConfig.defaults().withRounds(8).withBatchSize(batch);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, optimizer, config,
                model.statistics(), SEED, RunMetrics.detached());
        JavaRDD<Shard<LabeledVector>> shards = shards(data, PARTITIONS);
        TrainingState state = engine.initialState();
        float[] reference = state.params().clone();
        List<Map<String, Object>> seenPerRound = new ArrayList<>();
        engine.train(shards, state, (s, summary) -> {
            seenPerRound.add(summary.statistics());
            return RoundListener.Decision.CONTINUE;
        }, null);

        List<Shard<LabeledVector>> local = collect(shards);
        long[] previous = null;
        for (int t = 0; t < 8; t++) {
            List<LabeledVector> union = new ArrayList<>();
            for (Shard<LabeledVector> shard : local) {
                union.addAll(engine.work().plan().batch(shard, t));
            }
            long[] counts = new long[CLASSES];
            union.forEach(v -> counts[v.label()]++);
            SimpleStepContext ctx = SimpleStepContext.of(SEED, t);
            long[] visible = freshness == Freshness.TWO_PASS ? counts : previous;
            if (visible != null) {
                ctx.withGlobal(model.labelCounts, visible);
            }
            float[] grad = new float[reference.length];
            BatchLoss loss = model.accumulateGradient(reference, union, grad, ctx);
            for (int i = 0; i < grad.length; i++) {
                grad[i] /= (float) loss.weight();
            }
            optimizer.step(reference, grad, new float[0], t + 1);
            assertThat((long[]) seenPerRound.get(t).get("label-counts")).as("round " + t).containsExactly(counts);
            assertThat((long[]) seenPerRound.get(t).get("seen-counts")).containsExactly(counts);
            previous = counts;
        }
        assertRelativelyClose(state.params(), reference, 1e-6);
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void resumedRunEqualsUninterruptedRun(SyncMode mode, @TempDir java.nio.file.Path tmp) {
        LabelBalancedClassifier model = new LabelBalancedClassifier(DIM, CLASSES, Freshness.STALE_BY_ONE_ROUND);
        Optimizer optimizer = Adam.adam(0.05);
        EngineConfig config = EngineConfig.defaults().withSync(mode, mode == SyncMode.GLOBAL_BATCH ? 1 : 3)
                .withRounds(10).withBatchSize(12);
        JavaRDD<Shard<LabeledVector>> shards = shards(data, PARTITIONS);

        TrainingEngine<LabeledVector> full = new TrainingEngine<>(sc, model, optimizer, config, model.statistics(),
                SEED, RunMetrics.detached());
        TrainingState uninterrupted = full.initialState();
        full.train(shards, uninterrupted, RoundListener.NONE, null);

        Path dir = new Path(tmp.toUri().toString(), "checkpoints");
        CheckpointStore store = new CheckpointStore(dir, sc.hadoopConfiguration(), model.statistics(), SEED, 3, 2);
        TrainingEngine<LabeledVector> first = new TrainingEngine<>(sc, model, optimizer, config.withRounds(7),
                model.statistics(), SEED, RunMetrics.detached());
        first.train(shards, first.initialState(), RoundListener.NONE, store);
        assertThat(store.latest()).hasValueSatisfying(p -> assertThat(p.getName()).isEqualTo("round-00000007"));

        TrainingState resumed = store.load(store.latest().orElseThrow());
        assertThat(resumed.nextRound()).isEqualTo(7);
        TrainingEngine<LabeledVector> second = new TrainingEngine<>(sc, model, optimizer, config, model.statistics(),
                SEED, RunMetrics.detached());
        second.train(shards, resumed, RoundListener.NONE, null);
        assertThat(resumed.params()).containsExactly(uninterrupted.params());
        assertThat(resumed.optimizerState()).containsExactly(uninterrupted.optimizerState());
    }

    @Test
    void treeAggregationGivesTheSameUpdateAsDirectReduce() {
        float[] direct = trainWith(EngineConfig.defaults().withRounds(5).withBatchSize(10));
        float[] tree = trainWith(EngineConfig.defaults().withRounds(5).withBatchSize(10).withAggregationDepth(3));
        assertRelativelyClose(tree, direct, 1e-6);
    }

    private float[] trainWith(EngineConfig config) {
        LinearClassifier model = new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE, 0.0);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, Sgd.plain(0.5), config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        TrainingState state = engine.initialState();
        engine.train(shards(data, 8), state, RoundListener.NONE, null);
        return state.params();
    }

    private TrainingState trainBalanced(SyncMode mode, Freshness freshness, int rounds,
                                        EngineConfig.FaultInjection fault) {
        LabelBalancedClassifier model = new LabelBalancedClassifier(DIM, CLASSES, freshness);
        EngineConfig config = EngineConfig.defaults()
                .withSync(mode, mode == SyncMode.GLOBAL_BATCH ? 1 : 2)
                .withRounds(rounds).withBatchSize(16).withFault(fault);
        Model<LabeledVector> m = model;
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, m, Adam.adam(0.05), config,
                model.statistics(), SEED, RunMetrics.detached());
        TrainingState state = engine.initialState();
        engine.train(shards(data, PARTITIONS), state, RoundListener.NONE, null);
        return state;
    }

    static void assertRelativelyClose(float[] actual, float[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertThat(maxAbsDiff(actual, expected) / scale).isCloseTo(0.0, within(tolerance));
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
