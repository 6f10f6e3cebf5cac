package io.concord.job;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.Model;
import io.concord.core.model.StepContext;
import io.concord.core.optim.Adam;
import io.concord.core.optim.Optimizer;
import io.concord.data.synthetic.GaussianClasses;
import io.concord.engine.EngineConfig;
import io.concord.engine.RoundListener;
import io.concord.engine.RoundListener.Decision;
import io.concord.engine.RoundSummary;
import io.concord.engine.Shard;
import io.concord.engine.Sharding;
import io.concord.engine.StatisticSet;
import io.concord.engine.SyncMode;
import io.concord.engine.TrainingEngine;
import io.concord.engine.TrainingState;
import io.concord.engine.Transport;
import io.concord.engine.metrics.RunMetrics;
import io.concord.testing.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Learning-rate phases decided from evaluations: when they start, when the run stops, that a resumed run replays
 * them, and that a phase decided on the driver mid-run reaches the executors (training equals a schedule fixed in
 * advance with the same milestones).
 */
class LrOnPlateauTest {

    private static final int DIM = 4;
    private static final int PARTITIONS = 2;
    private static final long SEED = 5L;
    private static final double[] LRS = {0.1, 0.01, 0.001};
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
    void aPhaseEndsAfterPatienceEvaluationsWithoutANewBestOnlyAboveTheFloorAndTheLastPhaseStops() {
        MultiStepLr schedule = undecided();
        LrOnPlateau plateau = new LrOnPlateau(RoundListener.NONE, schedule, LRS, "recall", 2, 3, 0.5, 10,
                quiet());
        TrainingState state = state();
        // rounds 0-3 stay below the floor 0.5: no decay however flat
        double[] recall = {0.3, 0.3, 0.3, 0.3, 0.6, 0.55, 0.58, 0.7, 0.69, 0.7, 0.71, 0.6, 0.6, 0.6};
        List<Decision> decisions = feed(plateau, state, recall);

        assertThat(schedule.phasesStarted()).isEqualTo(3);
        // best 0.6 at round 4, rounds 5 and 6 without a new best: phase 1 from the step after round 6
        assertThat(schedule.phase(7L * 10)).isZero();
        assertThat(schedule.phase(7L * 10 + 1)).isEqualTo(1);
        // best 0.7 at round 7, rounds 8, 9 (0.7 is not a new best): phase 2 after round 9
        assertThat(schedule.phase(10L * 10)).isEqualTo(1);
        assertThat(schedule.phase(10L * 10 + 1)).isEqualTo(2);
        // last phase: best 0.71 at round 10, three evaluations without a new best stop after round 13
        assertThat(decisions.subList(0, 13)).containsOnly(Decision.CONTINUE);
        assertThat(decisions.get(13)).isEqualTo(Decision.STOP);
        assertThat(LrOnPlateau.phase(state)).isEqualTo(2);
    }

    @Test
    void roundsWithoutTheMetricDecideNothing() {
        MultiStepLr schedule = undecided();
        LrOnPlateau plateau = new LrOnPlateau(RoundListener.NONE, schedule, LRS, "recall", 1, 1, 0.0, 1, quiet());
        TrainingState state = state();
        for (int round = 0; round < 5; round++) {
            assertThat(plateau.afterRound(state, new RoundSummary(round, 1.0, 1, Map.of(), new HashMap<>())))
                    .isEqualTo(Decision.CONTINUE);
        }
        assertThat(schedule.phasesStarted()).isEqualTo(1);
        assertThat(state.bookkeeping()).isEmpty();
    }

    @Test
    void aResumedRunReplaysTheDecisionsFromTheBookkeeping() {
        MultiStepLr schedule = undecided();
        LrOnPlateau plateau = new LrOnPlateau(RoundListener.NONE, schedule, LRS, "recall", 1, 5, 0.0, 7, quiet());
        TrainingState state = state();
        feed(plateau, state, new double[] {0.2, 0.1, 0.3, 0.3});

        MultiStepLr fresh = undecided();
        TrainingState resumed = new TrainingState(new float[1], new float[0], 4, null,
                new HashMap<>(state.bookkeeping()));
        new LrOnPlateau(RoundListener.NONE, fresh, LRS, "recall", 1, 5, 0.0, 7, quiet())
                .resumed(resumed, List.of());

        assertThat(fresh.phasesStarted()).isEqualTo(schedule.phasesStarted()).isEqualTo(3);
        for (long t = 1; t <= 40; t++) {
            assertThat(fresh.phase(t)).as("step %d", t).isEqualTo(schedule.phase(t));
        }
    }

    @Test
    void aPhaseDecidedOnTheDriverReachesTheExecutorsUnderParameterAveraging() {
        for (Transport transport : List.of(Transport.DRIVER, Transport.ALLREDUCE)) {
            EngineConfig config = EngineConfig.defaults().withRounds(6).withBatchSize(4)
                    .withSync(SyncMode.PARAMETER_AVERAGING, 3).withTransport(transport, 1);
            long steps = config.stepsPerRound();
            MultiStepLr fixed = new MultiStepLr(adams(), new long[] {0, 2 * steps, 4 * steps});
            float[] planned = train(config, fixed, RoundListener.NONE);

            MultiStepLr decided = undecided();
            RoundListener decider = (state, summary) -> {
                if (summary.round() == 1 || summary.round() == 3) {
                    decided.startPhaseAfter(decided.phasesStarted(), (summary.round() + 1L) * steps);
                }
                return Decision.CONTINUE;
            };
            float[] live = train(config, decided, decider);
            float[] constant = train(config, new MultiStepLr(adams(), new long[] {0, Long.MAX_VALUE,
                    Long.MAX_VALUE}), RoundListener.NONE);

            assertThat(live).as(transport + ": equals the schedule fixed in advance").containsExactly(planned);
            assertThat(live).as(transport + ": and the decisions changed the training").isNotEqualTo(constant);
        }
    }

    private static float[] train(EngineConfig config, Optimizer optimizer, RoundListener listener) {
        List<LabeledVector> data = new GaussianClasses(DIM, 2, 2.0, 0.0).generate(SEED, 0, 64);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, new Quadratic(), optimizer, config,
                StatisticSet.empty(), SEED, RunMetrics.detached());
        JavaRDD<Shard<LabeledVector>> shards = Sharding.shard(sc.parallelize(data, 2), PARTITIONS, SEED,
                StorageLevel.MEMORY_ONLY());
        TrainingState state = engine.initialState();
        engine.train(shards, state, listener, null);
        engine.collectState(shards, state);
        shards.unpersist(true);
        return state.params();
    }

    private static List<Decision> feed(LrOnPlateau plateau, TrainingState state, double[] metric) {
        List<Decision> decisions = new ArrayList<>();
        for (int round = 0; round < metric.length; round++) {
            RoundSummary summary = new RoundSummary(round, 1.0, 1, Map.of(), new HashMap<>());
            summary.metrics().put("recall", metric[round]);
            decisions.add(plateau.afterRound(state, summary));
        }
        return decisions;
    }

    private static Optimizer[] adams() {
        Optimizer[] phases = new Optimizer[LRS.length];
        for (int k = 0; k < LRS.length; k++) {
            phases[k] = Adam.adam(LRS[k]);
        }
        return phases;
    }

    private static MultiStepLr undecided() {
        return new MultiStepLr(adams(), new long[] {0, Long.MAX_VALUE, Long.MAX_VALUE});
    }

    private static TrainingState state() {
        return new TrainingState(new float[1], new float[0], 0, null, new HashMap<>());
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Loss ½·‖w − x‖² per record. */
    static final class Quadratic implements Model<LabeledVector> {
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
