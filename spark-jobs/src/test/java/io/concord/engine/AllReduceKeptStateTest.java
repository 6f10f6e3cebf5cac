package io.concord.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.core.loss.SoftmaxCrossEntropy;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.LinearClassifier;
import io.concord.core.optim.Adam;
import io.concord.core.stat.GlobalStatistic.Freshness;
import io.concord.data.synthetic.GaussianClasses;
import io.concord.engine.allreduce.StateBlocks;
import io.concord.engine.checkpoint.CheckpointStore;
import io.concord.engine.metrics.RunMetrics;
import io.concord.job.ConcordSpark;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TestBlockId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import scala.Function1;
import scala.collection.JavaConverters;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static io.concord.engine.EngineExactnessTest.assertRelativelyClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The allreduce transport keeps the state on the executors between stages: the driver pulls it only where it is
 * read, a lost slice is replayed from the driver's last state, and checkpoints are written by the owners, one
 * slice each, and resume bit-identically (also onto another partition count, to 1e-6).
 */
class AllReduceKeptStateTest {

    private static final int DIM = 6;
    private static final int CLASSES = 3;
    private static final int PARTITIONS = 4;
    private static final long SEED = 20261204L;
    private static JavaSparkContext sc;
    private static List<LabeledVector> data;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(ConcordSpark.conf("local[" + PARTITIONS + ",3]", "concord-kept-state-test",
                Map.of("spark.ui.enabled", "false", "spark.barrier.sync.timeout", "60s")));
        data = new GaussianClasses(DIM, CLASSES, 3.0, 0.1).generate(SEED, 0, 301);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static JavaRDD<Shard<LabeledVector>> shards(int partitions) {
        return Sharding.shard(sc.parallelize(data, 3), partitions, SEED, StorageLevel.MEMORY_AND_DISK_SER());
    }

    private static EngineConfig config(SyncMode mode, int rounds, Transport transport, int roundsPerStage) {
        return EngineConfig.defaults().withSync(mode, mode == SyncMode.GLOBAL_BATCH ? 1 : 2).withRounds(rounds)
                .withBatchSize(16).withTransport(transport, roundsPerStage);
    }

    private static TrainingEngine<LabeledVector> engine(EngineConfig config) {
        LabelBalancedClassifier model = new LabelBalancedClassifier(DIM, CLASSES, Freshness.STALE_BY_ONE_ROUND);
        return new TrainingEngine<>(sc, model, Adam.adam(0.05), config, model.statistics(), SEED,
                RunMetrics.detached());
    }

    private static TrainingState train(EngineConfig config, RoundListener listener) {
        TrainingEngine<LabeledVector> engine = engine(config);
        TrainingState state = engine.initialState();
        engine.train(shards(PARTITIONS), state, listener, null);
        return state;
    }

    private static void assertBitIdentical(TrainingState actual, TrainingState expected, String what) {
        assertThat(actual.nextRound()).isEqualTo(expected.nextRound());
        assertThat(actual.params()).as(what + " params").containsExactly(expected.params());
        assertThat(actual.optimizerState()).as(what + " optimizer state").containsExactly(expected.optimizerState());
        assertThat((long[]) actual.statistics()[0]).as(what + " statistics")
                .containsExactly((long[]) expected.statistics()[0]);
    }

    /**
     * Removes the slices kept after {@code round} rounds from the (local) block manager, as a lost executor would;
     * returns how many.
     */
    private static int removeKeptSlices(int round) {
        BlockManager blocks = SparkEnv.get().blockManager();
        Function1<BlockId, Object> kept = id -> id instanceof TestBlockId t && t.id().startsWith(StateBlocks.PREFIX)
                && t.id().contains("-r" + round + "-");
        List<BlockId> ids = JavaConverters.seqAsJavaList(blocks.getMatchingBlockIds(kept));
        ids.forEach(id -> blocks.removeBlock(id, true));
        return ids.size();
    }

    private static JsonNode manifest(CheckpointStore store) throws IOException {
        Path latest = store.latest().orElseThrow();
        return new ObjectMapper().readTree(new java.io.File(new Path(latest, CheckpointStore.MANIFEST).toUri()));
    }

    /**
     * Stages of 3 rounds; the listener reads the state after round 3 only and, after round 6, removes every kept
     * slice. The state seen after round 3 is the driver path's; the next stage finds its slices gone, replays rounds
     * 3–5 from the state pulled after round 3, and the run ends bit-identical to an undisturbed one.
     */
    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void lostKeptSlicesAreReplayedFromTheDriversLastState(SyncMode mode) {
        float[][] afterThree = new float[1][];
        int[] removed = new int[1];
        TrainingState disturbed = train(config(mode, 9, Transport.ALLREDUCE, 3), new RoundListener() {
            @Override
            public Decision afterRound(TrainingState state, RoundSummary summary) {
                if (state.nextRound() == 3) {
                    afterThree[0] = state.params().clone();
                }
                if (state.nextRound() == 6) {
                    removed[0] += removeKeptSlices(6);
                }
                return Decision.CONTINUE;
            }

            @Override
            public boolean needsStateAfter(int completedRounds) {
                return completedRounds == 3;
            }
        });

        assertThat(removed[0]).as("kept blocks removed after round 6: params + state of each owner")
                .isEqualTo(2 * PARTITIONS);
        assertThat(afterThree[0]).as("state pulled after round 3")
                .containsExactly(train(config(mode, 3, Transport.DRIVER, 1), RoundListener.NONE).params());
        assertBitIdentical(disturbed, train(config(mode, 9, Transport.ALLREDUCE, 3), RoundListener.NONE),
                mode + " after losing the kept slices");
        assertBitIdentical(disturbed, train(config(mode, 9, Transport.DRIVER, 1), RoundListener.NONE),
                mode + " against the driver path");
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void ownerWrittenCheckpointsResumeBitIdentically(SyncMode mode, @TempDir java.nio.file.Path tmp)
            throws IOException {
        EngineConfig config = config(mode, 10, Transport.ALLREDUCE, 4);
        TrainingState uninterrupted = train(config, RoundListener.NONE);

        TrainingEngine<LabeledVector> first = engine(config.withRounds(7).withCheckpointEvery(3));
        CheckpointStore store = new CheckpointStore(new Path(tmp.toUri().toString(), "checkpoints"),
                sc.hadoopConfiguration(), first.work().statistics(), SEED, 3, 2);
        first.train(shards(PARTITIONS), first.initialState(), RoundListener.NONE, store);
        JsonNode manifest = manifest(store);
        assertThat(manifest.path("slices").path("parts").asInt()).isEqualTo(PARTITIONS);
        assertThat(manifest.path("files").has("slice-00003.bin")).isTrue();
        assertThat(manifest.path("files").has("params.bin")).isFalse();

        TrainingState resumed = store.load(store.latest().orElseThrow());
        assertThat(resumed.nextRound()).isEqualTo(7);
        engine(config).train(shards(PARTITIONS), resumed, RoundListener.NONE, null);
        assertBitIdentical(resumed, uninterrupted, mode + " resumed from slices");
    }

    @Test
    void sliceCheckpointsReassembleExactlyAndResumeOntoAnotherPartitionCount(@TempDir java.nio.file.Path tmp) {
        LinearClassifier model = new LinearClassifier(DIM, CLASSES, SoftmaxCrossEntropy.INSTANCE, 1e-3);
        EngineConfig config = EngineConfig.defaults().withRounds(20).withBatchSize(0)
                .withTransport(Transport.ALLREDUCE, 4);
        TrainingEngine<LabeledVector> full = new TrainingEngine<>(sc, model, Adam.adam(0.05), config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        TrainingState uninterrupted = full.initialState();
        full.train(shards(4), uninterrupted, RoundListener.NONE, null);
        TrainingEngine<LabeledVector> driver = new TrainingEngine<>(sc, model, Adam.adam(0.05),
                config.withRounds(10).withTransport(Transport.DRIVER, 1), StatisticSet.empty(), SEED,
                RunMetrics.detached());
        TrainingState driverTen = driver.initialState();
        driver.train(shards(4), driverTen, RoundListener.NONE, null);

        CheckpointStore store = new CheckpointStore(new Path(tmp.toUri().toString(), "checkpoints"),
                sc.hadoopConfiguration(), StatisticSet.empty(), SEED, 10, 2);
        TrainingEngine<LabeledVector> first = new TrainingEngine<>(sc, model, Adam.adam(0.05),
                config.withRounds(10).withCheckpointEvery(10), StatisticSet.empty(), SEED, RunMetrics.detached());
        first.train(shards(4), first.initialState(), RoundListener.NONE, store);
        TrainingState resumed = store.load(store.latest().orElseThrow());
        assertThat(resumed.params()).as("4 slices put together").containsExactly(driverTen.params());
        assertThat(resumed.optimizerState()).containsExactly(driverTen.optimizerState());

        TrainingEngine<LabeledVector> second = new TrainingEngine<>(sc, model, Adam.adam(0.05), config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        second.train(shards(3), resumed, RoundListener.NONE, null);
        assertThat(resumed.nextRound()).isEqualTo(20);
        assertRelativelyClose(resumed.params(), uninterrupted.params(), 1e-6);
        assertRelativelyClose(resumed.optimizerState(), uninterrupted.optimizerState(), 1e-6);
    }
}
