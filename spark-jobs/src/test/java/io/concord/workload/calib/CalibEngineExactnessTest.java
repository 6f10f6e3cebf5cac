package io.concord.workload.calib;

import io.concord.core.optim.Sgd;
import io.concord.data.calib.StereoPair;
import io.concord.data.calib.StereoPairBatches;
import io.concord.engine.EngineConfig;
import io.concord.engine.RoundSummary;
import io.concord.engine.Shard;
import io.concord.engine.Sharding;
import io.concord.engine.StatisticSet;
import io.concord.engine.SyncMode;
import io.concord.engine.TrainingEngine;
import io.concord.engine.TrainingState;
import io.concord.engine.metrics.RunMetrics;
import io.concord.job.ConcordSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * One round of the calibration CNN (supervised + UGCL loss) through the Concord engine on three partitions equals one
 * single-machine DL4J SGD step on the union of the partitions' batches: in global-batch mode the driver steps on the
 * exact union gradient; in parameter averaging with one local step each partition steps on its own batch and the
 * example-weighted average of those steps is again the union step. Runs with Kryo registration required, as
 * Concord does in production.
 */
class CalibEngineExactnessTest {

    private static final int PARTITIONS = 3;
    private static final double LR = 0.05;
    private static JavaSparkContext sc;
    private static List<StereoPair> pairs;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(ConcordSpark.conf("local[" + PARTITIONS + "]", "calib-exactness",
                Map.of("spark.ui.enabled", "false")));
        pairs = CalibTestData.pairs(22);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void oneRoundEqualsSingleMachineDl4jOnTheUnionBatch(SyncMode mode) {
        CalibModel model = CalibTestData.model(pairs);
        JavaRDD<Shard<StereoPair>> shards = Sharding.shard(sc.parallelize(pairs, 2), PARTITIONS,
                CalibTestData.SEED, StorageLevel.MEMORY_ONLY_SER());
        assertThat(Sharding.sizes(shards)).containsExactlyInAnyOrder(8, 7, 7);
        // batchSize 0 = each partition's whole shard; unequal shard sizes make the weighting matter.
        EngineConfig config = EngineConfig.defaults().withSync(mode, 1).withRounds(1).withBatchSize(0);
        TrainingEngine<StereoPair> engine = new TrainingEngine<>(sc, model.model(), Sgd.plain(LR), config,
                StatisticSet.empty(), CalibTestData.SEED, RunMetrics.detached());
        TrainingState state = engine.initialState();
        float[] initial = state.params().clone();
        RoundSummary summary = engine.runRound(shards, state);

        List<StereoPair> union = CalibTestData.union(shards);
        assertThat(union).hasSize(pairs.size());
        ComputationGraph reference = CalibTestData.dl4jNetwork(model, new org.nd4j.linalg.learning.config.Sgd(LR),
                initial);
        MultiDataSet batch = StereoPairBatches.converter(model.net().fusion(), model.scaling()).convert(union);
        reference.setInputs(batch.getFeatures());
        reference.setLabels(batch.getLabels());
        reference.computeGradientAndScore();
        double meanLoss = reference.score();
        reference.fit(batch);
        double[] expected = reference.params().toDoubleVector();

        assertThat(summary.examples()).isEqualTo(pairs.size());
        assertThat(summary.loss()).isCloseTo(meanLoss, within(1e-6 * Math.abs(meanLoss)));
        assertThat(CalibTestData.maxAbsDiff(initial, expected)).as("the step moves the parameters")
                .isGreaterThan(1e-3);
        // Measured: 3e-8 (global batch) and 7e-8 (averaging), float rounding of a step of size 0.08.
        assertThat(CalibTestData.maxAbsDiff(state.params(), expected)).isLessThan(5e-7);
        shards.unpersist(false);
    }
}
