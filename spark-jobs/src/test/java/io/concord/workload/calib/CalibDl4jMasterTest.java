package io.concord.workload.calib;

import io.concord.core.optim.Sgd;
import io.concord.data.calib.StereoPair;
import io.concord.data.calib.StereoPairBatches;
import io.concord.engine.EngineConfig;
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
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The comparison of {@code scripts/bench-calibration} compares like with like: one parameter-averaging round of the
 * calibration CNN through the Concord engine (2 partitions × 10 pairs, one local SGD step each) gives the same
 * parameters as one round of DL4J's own {@link ParameterAveragingTrainingMaster} (2 workers, batch 10 per worker,
 * averaging frequency 1, the same network, SGD and initial parameters) — and both equal one single-machine step on
 * the union of the 20 pairs, whichever pairs DL4J's random split sends to which worker.
 */
class CalibDl4jMasterTest {

    private static final int WORKERS = 2;
    private static final int PER_WORKER = 10;
    private static final double LR = 0.05;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(ConcordSpark.conf("local[" + WORKERS + "]", "calib-dl4j-master",
                Map.of("spark.ui.enabled", "false",
                        // DL4J ships its own classes (configs, ND4J arrays) through Kryo without registering them.
                        "spark.kryo.registrationRequired", "false")));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void oneAveragingRoundEqualsDl4jParameterAveragingTrainingMaster() {
        List<StereoPair> pairs = CalibTestData.pairs(WORKERS * PER_WORKER);
        CalibModel model = CalibTestData.model(pairs);

        JavaRDD<Shard<StereoPair>> shards = Sharding.shard(sc.parallelize(pairs, WORKERS), WORKERS,
                CalibTestData.SEED, StorageLevel.MEMORY_ONLY_SER());
        EngineConfig config = EngineConfig.defaults().withSync(SyncMode.PARAMETER_AVERAGING, 1).withRounds(1)
                .withBatchSize(PER_WORKER);
        TrainingEngine<StereoPair> engine = new TrainingEngine<>(sc, model.model(), Sgd.plain(LR), config,
                StatisticSet.empty(), CalibTestData.SEED, RunMetrics.detached());
        TrainingState state = engine.initialState();
        float[] initial = state.params().clone();
        engine.runRound(shards, state);
        shards.unpersist(false);

        ComputationGraph start = CalibTestData.dl4jNetwork(model, new org.nd4j.linalg.learning.config.Sgd(LR),
                initial);
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(WORKERS, 1)
                .batchSizePerWorker(PER_WORKER).averagingFrequency(1).workerPrefetchNumBatches(0)
                .rngSeed(CalibTestData.SEED).build();
        SparkComputationGraph dl4j = new SparkComputationGraph(sc, start, master);
        List<MultiDataSet> single = new ArrayList<>();
        for (StereoPair p : pairs) {
            single.add(StereoPairBatches.converter(model.net().fusion(), model.scaling()).convert(List.of(p)));
        }
        dl4j.fitMultiDataSet(sc.parallelize(single, WORKERS));
        float[] dl4jParams = dl4j.getNetwork().params().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .toFloatVector();

        ComputationGraph reference = CalibTestData.dl4jNetwork(model, new org.nd4j.linalg.learning.config.Sgd(LR),
                initial);
        reference.fit(StereoPairBatches.converter(model.net().fusion(), model.scaling()).convert(pairs));
        double[] union = reference.params().toDoubleVector();

        assertThat(CalibTestData.maxAbsDiff(initial, union)).as("the step moves the parameters").isGreaterThan(1e-3);
        assertThat(CalibTestData.maxAbsDiff(dl4jParams, union)).as("DL4J master vs union step").isLessThan(5e-7);
        assertThat(CalibTestData.maxAbsDiff(state.params(), union)).as("Concord vs union step").isLessThan(5e-7);
        assertThat(CalibTestData.maxAbsDiff(state.params(), dl4jParams)).as("Concord vs DL4J master")
                .isLessThan(5e-7);
    }
}
