package io.concord.engine;

import io.concord.config.ConfigException;
import io.concord.core.loss.SoftmaxCrossEntropy;
import io.concord.core.model.BatchLoss;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.LinearClassifier;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.optim.Adam;
import io.concord.core.optim.LinearSoftmaxCurvature;
import io.concord.core.optim.Lion;
import io.concord.core.optim.NormalizedGd;
import io.concord.core.optim.Optimizer;
import io.concord.core.optim.Sgd;
import io.concord.core.optim.SophiaG;
import io.concord.core.stat.GlobalStatistic.Freshness;
import io.concord.data.synthetic.GaussianClasses;
import io.concord.engine.allreduce.PeerExchange;
import io.concord.engine.allreduce.StateBlocks;
import io.concord.engine.checkpoint.CheckpointStore;
import io.concord.engine.metrics.RunMetrics;
import io.concord.job.ConcordSpark;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TestBlockId;
import scala.Function1;
import scala.collection.JavaConverters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.concord.engine.EngineExactnessTest.assertRelativelyClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The allreduce transport (barrier stages, sharded reduce-scatter / all-gather) against the driver path and against
 * single-machine training: every exactness guarantee of the driver path holds, and both transports give
 * bit-identical parameters, optimizer state and statistics for the same seed.
 */
class AllReduceTransportTest {

    private static final int DIM = 6;
    private static final int CLASSES = 3;
    private static final int PARTITIONS = 4;
    private static final long SEED = 20261203L;
    private static JavaSparkContext sc;
    private static List<LabeledVector> data;

    @BeforeAll
    static void start() {
        // a stuck barrier fails its stage after 60 s instead of the production 600 s
        sc = new JavaSparkContext(ConcordSpark.conf("local[" + PARTITIONS + ",3]", "concord-allreduce-test",
                Map.of("spark.ui.enabled", "false", "spark.barrier.sync.timeout", "60s")));
        data = new GaussianClasses(DIM, CLASSES, 3.0, 0.1).generate(SEED, 0, 403);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static <R> JavaRDD<Shard<R>> shards(List<R> records, int partitions) {
        return Sharding.shard(sc.parallelize(records, 3), partitions, SEED, StorageLevel.MEMORY_AND_DISK_SER());
    }

    private static EngineConfig config(SyncMode mode, int rounds, Transport transport, int roundsPerStage) {
        return EngineConfig.defaults().withSync(mode, mode == SyncMode.GLOBAL_BATCH ? 1 : 2).withRounds(rounds)
                .withBatchSize(16).withTransport(transport, roundsPerStage);
    }

    private static TrainingState train(EngineConfig config, Optimizer optimizer, Freshness freshness) {
        LabelBalancedClassifier model = new LabelBalancedClassifier(DIM, CLASSES, freshness);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, optimizer, config, model.statistics(),
                SEED, RunMetrics.detached());
        TrainingState state = engine.initialState();
        engine.train(shards(data, PARTITIONS), state, RoundListener.IGNORES_STATE, null);
        return state;
    }

    private static void assertBitIdentical(TrainingState actual, TrainingState expected, String what) {
        assertThat(actual.nextRound()).isEqualTo(expected.nextRound());
        assertThat(actual.params()).as(what + " params").containsExactly(expected.params());
        assertThat(actual.optimizerState()).as(what + " optimizer state").containsExactly(expected.optimizerState());
        assertThat(actual.statistics()).hasSameSizeAs(expected.statistics());
        for (int i = 0; i < expected.statistics().length; i++) {
            assertThat((long[]) actual.statistics()[i]).as(what + " statistic " + i)
                    .containsExactly((long[]) expected.statistics()[i]);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Freshness.class, names = {"TWO_PASS", "STALE_BY_ONE_ROUND"})
    void bothTransportsGiveBitIdenticalStateInBothSyncModes(Freshness freshness) {
        for (SyncMode mode : SyncMode.values()) {
            TrainingState driver = train(config(mode, 6, Transport.DRIVER, 1), Adam.adam(0.05), freshness);
            TrainingState oneRound = train(config(mode, 6, Transport.ALLREDUCE, 1), Adam.adam(0.05), freshness);
            assertBitIdentical(oneRound, driver, mode + " allreduce 1 round/stage");
            TrainingState staged = train(config(mode, 6, Transport.ALLREDUCE, 4), Adam.adam(0.05), freshness);
            assertBitIdentical(staged, driver, mode + " allreduce 4 rounds/stage");
        }
    }

    /**
     * With a regulariser each owner adds its gradient to its slice only and partition 0 alone computes its value
     * (LinearClassifier), or each owner computes the value's parts of the chunks that start in its slice
     * ({@link SplitRegularizerClassifier}: chunks of 7 of the 21 parameters cut across the 4 owners' slices, and the
     * last owner has none); parameters, optimizer state and every round's loss stay bit-identical to the driver path.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void regularizedModelGivesBitIdenticalStateAndLossesInBothSyncModes(boolean splitValue) {
        io.concord.core.model.Model<LabeledVector> model = splitValue
                ? new SplitRegularizerClassifier(DIM, CLASSES, 1e-2)
                : new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE, 1e-2);
        for (SyncMode mode : SyncMode.values()) {
            LossesAndState driver = trainRecordingLosses(model, config(mode, 5, Transport.DRIVER, 5), data,
                    PARTITIONS);
            LossesAndState allreduce = trainRecordingLosses(model, config(mode, 5, Transport.ALLREDUCE, 5), data,
                    PARTITIONS);
            assertBitIdentical(allreduce.state(), driver.state(), mode + " regularized");
            assertThat(allreduce.losses()).as(mode + " losses").hasSize(5).containsExactlyElementsOf(driver.losses());
        }
    }

    /**
     * A model that declares its uniform L2 ({@code Model#l2Coefficient}) has the optimizer add that gradient in its
     * own pass (Adam: one read and one write of the gradient fewer per step): in both sync modes, on both transports,
     * parameters, optimizer state and every round's loss are bit-identical to the same model regularising first.
     */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"DRIVER", "ALLREDUCE"})
    void aDeclaredUniformL2TrainsBitIdenticallyToRegularisingFirst(Transport transport) {
        for (SyncMode mode : SyncMode.values()) {
            EngineConfig config = config(mode, 5, transport, 5);
            AtomicInteger passes = SplitRegularizerClassifier.UNIFORM_GRADIENT_PASSES;
            passes.set(0);
            LossesAndState first = trainRecordingLosses(
                    SplitRegularizerClassifier.uniform(DIM, CLASSES, 0.05f, false), config, data, PARTITIONS);
            assertThat(passes.getAndSet(0)).as("regularised first").isPositive();
            LossesAndState fused = trainRecordingLosses(
                    SplitRegularizerClassifier.uniform(DIM, CLASSES, 0.05f, true), config, data, PARTITIONS);
            assertThat(passes.get()).as("no separate L2 pass").isZero();
            assertBitIdentical(fused.state(), first.state(), mode + " " + transport + " fused L2");
            assertThat(fused.losses()).as(mode + " losses").hasSize(5).containsExactlyElementsOf(first.losses());
        }
    }

    private record LossesAndState(List<Double> losses, TrainingState state) {
    }

    /** Adam(0.05) over {@code records} in {@code partitions}, every round's loss recorded; no state read between. */
    private static LossesAndState trainRecordingLosses(io.concord.core.model.Model<LabeledVector> model,
                                                       EngineConfig config, List<LabeledVector> records,
                                                       int partitions) {
        List<Double> losses = new ArrayList<>();
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, Adam.adam(0.05), config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        TrainingState state = engine.initialState();
        engine.train(shards(records, partitions), state, new RoundListener() {
            @Override
            public Decision afterRound(TrainingState s, RoundSummary summary) {
                losses.add(summary.loss());
                return Decision.CONTINUE;
            }

            @Override
            public boolean needsStateAfter(int completedRounds) {
                return false;
            }
        }, null);
        return new LossesAndState(losses, state);
    }

    /**
     * In local mode the owners keep one parameter vector ({@code PeerExchange.sharedVector}), each stepping its slice
     * in place, with a barrier instead of the all-gather: with no regulariser and with a split one; 3 partitions, so
     * one owner folds two earlier peers first. Parameters, optimizer state and every round's loss stay bit-identical
     * to the driver path.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void ownersSteppingOneSharedParameterVectorMatchTheDriverPath(boolean regularized) {
        int dim = 40;
        List<LabeledVector> wide = new GaussianClasses(dim, CLASSES, 3.0, 0.1).generate(SEED, 0, 90);
        io.concord.core.model.Model<LabeledVector> model = regularized
                ? new SplitRegularizerClassifier(dim, CLASSES, 1e-2)
                : new LinearClassifier(dim, CLASSES, SoftmaxCrossEntropy.INSTANCE, 0.0);
        assertThat(BarrierStages.stepsSliceAlone(model)).isTrue();
        LossesAndState driver = trainRecordingLosses(model, config(SyncMode.GLOBAL_BATCH, 4, Transport.DRIVER, 2),
                wide, 3);
        LossesAndState allreduce = trainRecordingLosses(model,
                config(SyncMode.GLOBAL_BATCH, 4, Transport.ALLREDUCE, 2), wide, 3);
        assertBitIdentical(allreduce.state(), driver.state(), "one shared vector");
        assertThat(allreduce.losses()).hasSize(4).containsExactlyElementsOf(driver.losses());
    }

    /** A model whose regulariser value is read whole (partition 0 reports it) keeps a parameter copy per task. */
    @Test
    void onlyModelsWithoutAWholeRegulariserValueStepTheirSliceAlone() {
        assertThat(BarrierStages.stepsSliceAlone(new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE,
                1e-2))).isFalse();
        assertThat(BarrierStages.stepsSliceAlone(new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE,
                0.0))).isTrue();
        assertThat(BarrierStages.stepsSliceAlone(new SplitRegularizerClassifier(DIM, CLASSES, 1e-2))).isTrue();
    }

    /** The measured alternative pays Spark's 1 s polling of {@code BarrierTaskContext.allGather} per collective. */
    @Test
    void theRpcAlternativeGivesTheSameState() {
        TrainingState driver = train(config(SyncMode.GLOBAL_BATCH, 3, Transport.DRIVER, 1), Adam.adam(0.05),
                Freshness.TWO_PASS);
        TrainingState rpc = train(config(SyncMode.GLOBAL_BATCH, 3, Transport.ALLREDUCE_RPC, 3), Adam.adam(0.05),
                Freshness.TWO_PASS);
        assertBitIdentical(rpc, driver, "allreduce-rpc");
    }

    @Test
    void multiRoundStagesReportEveryRoundAsTheDriverPathDoes() {
        List<RoundSummary> driver = new ArrayList<>();
        List<RoundSummary> staged = new ArrayList<>();
        LabelBalancedClassifier model = new LabelBalancedClassifier(DIM, CLASSES, Freshness.STALE_BY_ONE_ROUND);
        for (Transport t : new Transport[] {Transport.DRIVER, Transport.ALLREDUCE}) {
            List<RoundSummary> out = t == Transport.DRIVER ? driver : staged;
            TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, Adam.adam(0.05),
                    config(SyncMode.GLOBAL_BATCH, 7, t, 3), model.statistics(), SEED, RunMetrics.detached());
            engine.train(shards(data, PARTITIONS), engine.initialState(), new RoundListener() {
                @Override
                public Decision afterRound(TrainingState state, RoundSummary summary) {
                    out.add(summary);
                    return Decision.CONTINUE;
                }

                @Override
                public boolean needsStateAfter(int completedRounds) {
                    return false;
                }
            }, null);
        }
        assertThat(staged).hasSize(7);
        for (int r = 0; r < 7; r++) {
            assertThat(staged.get(r).round()).isEqualTo(r);
            assertThat(staged.get(r).loss()).as("loss of round " + r).isEqualTo(driver.get(r).loss());
            assertThat(staged.get(r).examples()).isEqualTo(driver.get(r).examples());
            assertThat((long[]) staged.get(r).statistics().get("label-counts"))
                    .containsExactly((long[]) driver.get(r).statistics().get("label-counts"));
            assertThat(staged.get(r).timingsMs()).containsKeys("compute", "reduceScatter", "allGather", "round");
        }
    }

    /**
     * A stop asked for inside a multi-round stage (e.g. by SIGTERM) takes effect at the stage's end, where the state's
     * vectors are that round's: the result equals a driver-path run of exactly that many rounds.
     */
    @Test
    void aStopAskedInsideAStageTakesEffectAtTheStageEnd() {
        LabelBalancedClassifier model = new LabelBalancedClassifier(DIM, CLASSES, Freshness.STALE_BY_ONE_ROUND);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, Adam.adam(0.05),
                config(SyncMode.GLOBAL_BATCH, 9, Transport.ALLREDUCE, 4), model.statistics(), SEED,
                RunMetrics.detached());
        TrainingState stopped = engine.initialState();
        int ran = engine.train(shards(data, PARTITIONS), stopped, new RoundListener() {
            @Override
            public Decision afterRound(TrainingState state, RoundSummary summary) {
                return summary.round() == 1 ? Decision.STOP : Decision.CONTINUE;
            }

            @Override
            public boolean needsStateAfter(int completedRounds) {
                return false;
            }
        }, null);
        assertThat(ran).isEqualTo(4);
        assertBitIdentical(stopped, train(config(SyncMode.GLOBAL_BATCH, 4, Transport.DRIVER, 1), Adam.adam(0.05),
                Freshness.STALE_BY_ONE_ROUND), "stopped at the stage end");
    }

    @Test
    void stagesEndAtCheckpointsAndAtRoundsWhoseStateAListenerReads() {
        LinearClassifier model = new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE, 0.0);
        EngineConfig config = EngineConfig.defaults().withRounds(20).withCheckpointEvery(8)
                .withTransport(Transport.ALLREDUCE, 5);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, Sgd.plain(0.1), config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        RoundListener evalEvery6 = new RoundListener() {
            @Override
            public Decision afterRound(TrainingState state, RoundSummary summary) {
                return Decision.CONTINUE;
            }

            @Override
            public boolean needsStateAfter(int completedRounds) {
                return completedRounds % 6 == 0;
            }
        };
        List<Integer> lengths = new ArrayList<>();
        for (int first = 0; first < 20; first += lengths.get(lengths.size() - 1)) {
            lengths.add(engine.stageLength(first, 20, evalEvery6));
        }
        // boundaries: 5 (limit), 6 (eval), 8 (checkpoint), 12 (eval), 16 (checkpoint), 18 (eval), 20 (end)
        assertThat(lengths).containsExactly(5, 1, 2, 4, 4, 2, 2);
        RoundListener readsEveryRound = (state, summary) -> RoundListener.Decision.CONTINUE;
        assertThat(engine.stageLength(0, 20, readsEveryRound)).isEqualTo(1);
        assertThat(engine.stageLength(0, 20, RoundListener.sequence(RoundListener.NONE, evalEvery6))).isEqualTo(5);
    }

    @Test
    void globalBatchEqualsSingleMachineFullBatch() {
        LinearClassifier model = new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE, 1e-3);
        Optimizer optimizer = new Sgd(0.5, 0.9, 0.0, false);
        EngineConfig config = EngineConfig.defaults().withRounds(20).withBatchSize(0)
                .withTransport(Transport.ALLREDUCE, 5);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, optimizer, config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        TrainingState state = engine.initialState();
        float[] reference = state.params().clone();
        engine.train(shards(data, PARTITIONS), state, RoundListener.IGNORES_STATE, null);

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
        assertThat(EngineExactnessTest.maxAbsDiff(state.params(), engine.initialState().params())).isGreaterThan(0.1);
    }

    @Test
    void parameterAveragingEveryStepWithSgdEqualsOneMachineWithNTimesTheBatch() {
        LinearClassifier model = new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE, 0.0);
        Optimizer optimizer = Sgd.plain(0.3);
        int batch = 8;
        EngineConfig config = EngineConfig.defaults().withSync(SyncMode.PARAMETER_AVERAGING, 1).withRounds(20)
                .withBatchSize(batch).withTransport(Transport.ALLREDUCE, 4);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, optimizer, config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        JavaRDD<Shard<LabeledVector>> shards = shards(data, PARTITIONS);
        TrainingState state = engine.initialState();
        float[] reference = state.params().clone();
        engine.train(shards, state, RoundListener.IGNORES_STATE, null);

        List<Shard<LabeledVector>> local = new ArrayList<>(shards.collect());
        local.sort(Comparator.comparingInt(Shard::partition));
        for (int t = 0; t < 20; t++) {
            List<LabeledVector> union = new ArrayList<>();
            for (Shard<LabeledVector> shard : local) {
                union.addAll(engine.work().plan().batch(shard, t));
            }
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
    @ValueSource(strings = {"statistics", "reduce-scatter", "all-gather"})
    void injectedTaskFailureInAnyCollectiveChangesNothing(String phase) {
        for (SyncMode mode : SyncMode.values()) {
            EngineConfig clean = config(mode, 6, Transport.ALLREDUCE, 3);
            TrainingState expected = train(clean, Adam.adam(0.05), Freshness.TWO_PASS);
            TrainingState faulty = train(clean.withFault(new EngineConfig.FaultInjection(4, 2, phase)),
                    Adam.adam(0.05), Freshness.TWO_PASS);
            assertBitIdentical(faulty, expected, mode + " fault in " + phase);
        }
    }

    /**
     * Blocks only peers of the same executor read are never reported to the block manager master (every peer here,
     * in local mode), so only the tasks themselves can free them: none may outlive its run, also when a stage failed
     * and was retried; only the kept state of the last stage may remain.
     */
    @Test
    void noExchangeBlockOutlivesItsRun() {
        for (SyncMode mode : SyncMode.values()) {
            EngineConfig clean = config(mode, 6, Transport.ALLREDUCE, 3);
            train(clean, Adam.adam(0.05), Freshness.TWO_PASS);
            train(clean.withFault(new EngineConfig.FaultInjection(4, 2, "all-gather")), Adam.adam(0.05),
                    Freshness.TWO_PASS);
        }
        BlockManager blocks = SparkEnv.get().blockManager();
        Function1<BlockId, Object> exchangeBlock = id -> id instanceof TestBlockId t && t.id().startsWith("concord-")
                && !t.id().startsWith(StateBlocks.PREFIX);
        // the driver's removal of the closing collective's blocks is asynchronous (the master asks the executors)
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!blocks.getMatchingBlockIds(exchangeBlock).isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(JavaConverters.seqAsJavaList(blocks.getMatchingBlockIds(exchangeBlock))).isEmpty();
        // the owners' one parameter vector per stage attempt (global-batch here) is forgotten by every task
        assertThat(PeerExchange.sharedVectorsHeld()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void resumedRunEqualsUninterruptedRun(SyncMode mode, @TempDir java.nio.file.Path tmp) {
        LabelBalancedClassifier model = new LabelBalancedClassifier(DIM, CLASSES, Freshness.STALE_BY_ONE_ROUND);
        EngineConfig config = config(mode, 10, Transport.ALLREDUCE, 4);
        JavaRDD<Shard<LabeledVector>> shards = shards(data, PARTITIONS);
        TrainingEngine<LabeledVector> full = new TrainingEngine<>(sc, model, Adam.adam(0.05), config,
                model.statistics(), SEED, RunMetrics.detached());
        TrainingState uninterrupted = full.initialState();
        full.train(shards, uninterrupted, RoundListener.IGNORES_STATE, null);

        CheckpointStore store = new CheckpointStore(new Path(tmp.toUri().toString(), "checkpoints"),
                sc.hadoopConfiguration(), model.statistics(), SEED, 3, 2);
        TrainingEngine<LabeledVector> first = new TrainingEngine<>(sc, model, Adam.adam(0.05),
                config.withRounds(7).withCheckpointEvery(3), model.statistics(), SEED, RunMetrics.detached());
        first.train(shards, first.initialState(), RoundListener.IGNORES_STATE, store);
        TrainingState resumed = store.load(store.latest().orElseThrow());
        assertThat(resumed.nextRound()).isEqualTo(7);
        TrainingEngine<LabeledVector> second = new TrainingEngine<>(sc, model, Adam.adam(0.05), config,
                model.statistics(), SEED, RunMetrics.detached());
        second.train(shards, resumed, RoundListener.IGNORES_STATE, null);
        assertThat(resumed.params()).containsExactly(uninterrupted.params());
        assertThat(resumed.optimizerState()).containsExactly(uninterrupted.optimizerState());
    }

    @Test
    void resumeOntoADifferentPartitionCountContinuesTheSameTraining(@TempDir java.nio.file.Path tmp) {
        LinearClassifier model = new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE, 1e-3);
        EngineConfig config = EngineConfig.defaults().withRounds(20).withBatchSize(0)
                .withTransport(Transport.ALLREDUCE, 4);
        TrainingEngine<LabeledVector> full = new TrainingEngine<>(sc, model, Adam.adam(0.05), config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        TrainingState uninterrupted = full.initialState();
        full.train(shards(data, 4), uninterrupted, RoundListener.IGNORES_STATE, null);

        CheckpointStore store = new CheckpointStore(new Path(tmp.toUri().toString(), "checkpoints"),
                sc.hadoopConfiguration(), StatisticSet.empty(), SEED, 10, 2);
        TrainingEngine<LabeledVector> first = new TrainingEngine<>(sc, model, Adam.adam(0.05),
                config.withRounds(10).withCheckpointEvery(10), StatisticSet.empty(), SEED, RunMetrics.detached());
        first.train(shards(data, 4), first.initialState(), RoundListener.IGNORES_STATE, store);
        TrainingState resumed = store.load(store.latest().orElseThrow());
        TrainingEngine<LabeledVector> second = new TrainingEngine<>(sc, model, Adam.adam(0.05), config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        second.train(shards(data, 3), resumed, RoundListener.IGNORES_STATE, null);
        assertThat(resumed.nextRound()).isEqualTo(20);
        assertRelativelyClose(resumed.params(), uninterrupted.params(), 1e-6);
        assertRelativelyClose(resumed.optimizerState(), uninterrupted.optimizerState(), 1e-6);
    }

    /** Optimizers that are not element-wise run replicated on every task, still bit-identical to the driver. */
    @Test
    void replicatedUpdatesForLossAwareCurvatureAndNormMixingOptimizers() {
        LinearClassifier model = new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE, 1e-3);
        List<Optimizer> optimizers = List.of(new NormalizedGd(0.2, NormalizedGd.Normalization.GRADIENT_NORM),
                new Lion(0.01, 0.9, 0.99, 0.0, Lion.Direction.L2),
                new SophiaG(0.05, 0.9, 0.99, 0.05, 0.0, 64, 2));
        for (Optimizer optimizer : optimizers) {
            float[][] params = new float[2][];
            float[][] state = new float[2][];
            Transport[] transports = {Transport.DRIVER, Transport.ALLREDUCE};
            for (int k = 0; k < 2; k++) {
                EngineConfig config = EngineConfig.defaults().withRounds(8).withBatchSize(16)
                        .withTransport(transports[k], 4);
                TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, optimizer, config,
                        StatisticSet.empty(), SEED, RunMetrics.detached(), new LinearSoftmaxCurvature(model));
                TrainingState s = engine.initialState();
                engine.train(shards(data, PARTITIONS), s, RoundListener.IGNORES_STATE, null);
                params[k] = s.params();
                state[k] = s.optimizerState();
            }
            assertThat(params[1]).as(optimizer.name()).containsExactly(params[0]);
            assertThat(state[1]).as(optimizer.name()).containsExactly(state[0]);
        }
    }

    /**
     * With sharded state, the clipping norm is a sum of per-slice partial sums (a scalar all-reduce) instead of one
     * sequential sum over the vector: equal up to double rounding of the norm.
     */
    @Test
    void shardedClippingMatchesTheDriverPathToRounding() {
        LinearClassifier model = new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE, 1e-3);
        float[][] params = new float[2][];
        Transport[] transports = {Transport.DRIVER, Transport.ALLREDUCE};
        for (int k = 0; k < 2; k++) {
            EngineConfig base = EngineConfig.defaults().withRounds(20).withBatchSize(16)
                    .withTransport(transports[k], 5);
            EngineConfig config = new EngineConfig(base.sync(), base.rounds(), base.partitions(), base.batchSize(),
                    base.localSteps(), base.averageOptimizerState(), base.aggregationDepth(), base.shuffle(),
                    base.checkpointEvery(), base.keepCheckpoints(), base.storageLevel(), 0.05, null,
                    base.transport(), base.roundsPerStage());
            TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, Adam.adam(0.05), config,
                    StatisticSet.empty(), SEED, RunMetrics.detached());
            TrainingState s = engine.initialState();
            engine.train(shards(data, PARTITIONS), s, RoundListener.IGNORES_STATE, null);
            params[k] = s.params();
        }
        assertRelativelyClose(params[1], params[0], 1e-6);
    }

    @Test
    void tooFewTaskSlotsIsAConfigErrorNamingTheSetting() {
        LinearClassifier model = new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE, 0.0);
        EngineConfig config = EngineConfig.defaults().withRounds(2).withTransport(Transport.ALLREDUCE, 1);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, Sgd.plain(0.1), config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        assertThatThrownBy(() -> engine.train(shards(data, PARTITIONS + 2), engine.initialState(),
                RoundListener.IGNORES_STATE, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("train.partitions")
                .hasMessageContaining("task slots (" + PARTITIONS + " now)");
    }
}
