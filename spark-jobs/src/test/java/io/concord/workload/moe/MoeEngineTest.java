package io.concord.workload.moe;

import io.concord.core.moe.BalanceMode;
import io.concord.core.moe.ExpertCounts;
import io.concord.core.moe.GlobalBatchRound;
import io.concord.core.moe.MoeConfig;
import io.concord.core.moe.MoeExample;
import io.concord.core.moe.MoeModel;
import io.concord.core.optim.Adam;
import io.concord.core.optim.Optimizer;
import io.concord.data.moe.DomainDataGenerator;
import io.concord.data.moe.FeatureDomains;
import io.concord.data.moe.TokenDomains;
import io.concord.engine.BatchPlan;
import io.concord.engine.EngineConfig;
import io.concord.engine.InjectedFaultException;
import io.concord.engine.RoundListener;
import io.concord.engine.RoundSummary;
import io.concord.engine.Shard;
import io.concord.engine.Sharding;
import io.concord.engine.StatisticSet;
import io.concord.engine.TrainingEngine;
import io.concord.engine.TrainingState;
import io.concord.engine.Transport;
import io.concord.engine.checkpoint.CheckpointStore;
import io.concord.engine.metrics.RunMetrics;
import io.concord.job.ConcordSpark;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.storage.StorageLevel;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MoE acceptance properties through the real {@link TrainingEngine} on local Spark: (a) the distributed
 * global-batch LBL gradient over N partitions equals the single-machine gradient of the union batch; (b) an injected
 * task failure (statistics pass and round action) leaves parameters and the expert-count statistic bit-identical.
 */
class MoeEngineTest {

    private static final int PARTITIONS = 4;
    private static final long SEED = 20260101L;
    private static final AtomicInteger INJECTED_FAILURES = new AtomicInteger();
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        // local[threads, maxFailures]: task retries exist in local mode only through the master URL
        // a stuck barrier (allreduce transport) fails its stage after 60 s instead of hanging
        sc = new JavaSparkContext(ConcordSpark.conf("local[" + PARTITIONS + ",3]", "moe-engine-test",
                Map.of("spark.ui.enabled", "false", "spark.barrier.sync.timeout", "60s")));
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() instanceof ExceptionFailure f
                        && f.className().equals(InjectedFaultException.class.getName())) {
                    INJECTED_FAILURES.incrementAndGet();
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /**
     * Hands the engine's reduced gradient (Σ_j g_j / W, what any optimizer would step on) to the test through the
     * optimizer state and leaves the parameters alone: the gradient read exactly as the engine produced it.
     */
    static final class GradientCapture implements Optimizer {
        private static final long serialVersionUID = 1L;

        @Override
        public String name() {
            return "gradient-capture";
        }

        @Override
        public int stateSize(int numParams) {
            return numParams;
        }

        @Override
        public void step(float[] params, float[] grad, float[] state, long t) {
            System.arraycopy(grad, 0, state, 0, grad.length);
        }
    }

    private static MoeConfig config(String task, BalanceMode mode, int domains) {
        MoeConfig.Builder b = task.equals("tokens") ? MoeConfig.nextToken(40) : MoeConfig.classification(6, 3);
        return b.modelDim(8).layers(2).experts(6, 2).expertHidden(8).sharedExpertHidden(task.equals("tokens") ? 4 : 0)
                .lblCoeff(0.5).zLossCoeff(1e-3).balance(mode).domains(domains).build();
    }

    private static DomainDataGenerator data(String task) {
        return task.equals("tokens")
                ? new TokenDomains(new TokenDomains.Config(4, 40, 4, 7, 2, 0.2, 0.0), SEED)
                : new FeatureDomains(new FeatureDomains.Config(4, 6, 3, 2.0, 0.0), SEED);
    }

    private static JavaRDD<Shard<MoeExample>> shards(List<MoeExample> records) {
        return Sharding.shard(sc.parallelize(records, 3), PARTITIONS, SEED, StorageLevel.MEMORY_AND_DISK_SER());
    }

    private static List<Shard<MoeExample>> collect(JavaRDD<Shard<MoeExample>> shards) {
        List<Shard<MoeExample>> list = new ArrayList<>(shards.collect());
        list.sort(Comparator.comparingInt(Shard::partition));
        return list;
    }

    /** What one global-batch round through the engine produced. */
    private record Round(float[] gradient, RoundSummary summary, BatchPlan plan) {
    }

    private static Round engineRound(MoeModel model, JavaRDD<Shard<MoeExample>> shards, float[] params) {
        StatisticSet statistics = new StatisticSet(model.statistics());
        TrainingEngine<MoeExample> engine = new TrainingEngine<>(sc, model, new GradientCapture(),
                EngineConfig.defaults().withRounds(1).withBatchSize(5), statistics, SEED, RunMetrics.detached());
        TrainingState state = engine.initialState();
        assertThat(state.params()).containsExactly(params);
        MoeRoundListener checks = new MoeRoundListener(model.config(), statistics);
        List<RoundSummary> summaries = new ArrayList<>();
        engine.train(shards, state, (s, summary) -> {
            summaries.add(summary);
            return checks.afterRound(s, summary);
        }, null);
        assertThat(state.params()).as("GradientCapture leaves the parameters").containsExactly(params);
        return new Round(state.optimizerState(), summaries.get(0), engine.work().plan());
    }

    @ParameterizedTest
    @ValueSource(strings = {"features", "tokens"})
    void globalLblGradientOverPartitionsEqualsTheSingleMachineUnionGradient(String task) {
        DomainDataGenerator gen = data(task);
        MoeModel global = new MoeModel(config(task, BalanceMode.GLOBAL_TWO_PASS, gen.numDomains()));
        JavaRDD<Shard<MoeExample>> shards = shards(gen.examples(0, 37));
        float[] params = new float[global.numParams()];
        global.initParams(params, SEED);

        Round round = engineRound(global, shards, params);

        List<MoeExample> union = new ArrayList<>();
        long[] perPartitionTokens = new long[PARTITIONS];
        for (Shard<MoeExample> shard : collect(shards)) {
            List<MoeExample> batch = round.plan().batch(shard, 0);
            union.addAll(batch);
            perPartitionTokens[shard.partition()] = batch.stream().mapToLong(MoeExample::positions).sum();
        }
        assertThat(union).hasSize(PARTITIONS * 5);
        GlobalBatchRound.Result reference = GlobalBatchRound.singleMachine(global, toDouble(params), union, SEED, 0);

        assertThat(maxAbs(reference.gradient())).isGreaterThan(1e-3);
        assertThat(relativeError(round.gradient(), reference.gradient())).as("global vs union").isLessThan(1e-6);
        assertThat(round.summary().loss()).isCloseTo(reference.meanLoss(),
                org.assertj.core.api.Assertions.within(1e-6 * Math.abs(reference.meanLoss())));
        long[] counts = (long[]) round.summary().statistics().get(ExpertCounts.NAME);
        assertThat(counts).as("merged two-pass counts = counts of the union batch").containsExactly(
                reference.expertCounts());
        assertThat(ExpertCounts.tokens(counts)).isEqualTo(java.util.Arrays.stream(perPartitionTokens).sum());

        // The comparison can fail: balancing each partition on its own (micro) gives a different gradient.
        MoeModel micro = new MoeModel(config(task, BalanceMode.MICRO, gen.numDomains()));
        float[] microGradient = engineRound(micro, shards, params).gradient();
        assertThat(relativeError(microGradient, reference.gradient())).as("micro vs union").isGreaterThan(1e-2);
        shards.unpersist(false);
    }

    @ParameterizedTest
    @EnumSource(value = BalanceMode.class, names = {"GLOBAL_TWO_PASS", "GLOBAL_STALE"})
    void injectedTaskFailureLeavesParametersAndExpertCountsBitIdentical(BalanceMode mode) throws Exception {
        DomainDataGenerator gen = data("tokens");
        JavaRDD<Shard<MoeExample>> shards = shards(gen.examples(0, 60));
        Run clean = train(mode, shards, null);
        int before = INJECTED_FAILURES.get();
        Run faulty = train(mode, shards, new EngineConfig.FaultInjection(2, 1));

        // the fault really happened: in the statistics pass and in the round action for two-pass, in the round
        // action only for stale counts (which have no statistics pass)
        int expected = mode == BalanceMode.GLOBAL_TWO_PASS ? 2 : 1;
        long deadline = System.currentTimeMillis() + 10_000;
        while (INJECTED_FAILURES.get() - before < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(INJECTED_FAILURES.get() - before).as("injected task failures").isEqualTo(expected);

        assertThat(faulty.state.params()).containsExactly(clean.state.params());
        assertThat(faulty.state.optimizerState()).containsExactly(clean.state.optimizerState());
        int countIndex = new StatisticSet(clean.model.statistics()).indexOf(ExpertCounts.NAME);
        assertThat((long[]) faulty.state.statistics()[countIndex])
                .containsExactly((long[]) clean.state.statistics()[countIndex]);
        assertThat(faulty.countsPerRound).hasSize(4);
        for (int r = 0; r < 4; r++) {
            assertThat(faulty.countsPerRound.get(r)).as("round " + r + " counts")
                    .containsExactly(clean.countsPerRound.get(r));
            assertThat(ExpertCounts.tokens(clean.countsPerRound.get(r))).as("round " + r + " tokens")
                    .isEqualTo(clean.tokensPerRound.get(r));
        }
        shards.unpersist(false);
    }

    /**
     * Stale-by-one-round counts are an input of the next round, so they must survive a checkpoint: a run resumed
     * from the round-4 checkpoint ends bit-identical to the uninterrupted run. (The report-only routing tally is not
     * checkpointed: the round listener converts it to metrics and drops it from the state.)
     */
    @Test
    void resumedStaleRunEqualsTheUninterruptedRun(@TempDir java.nio.file.Path tmp) {
        JavaRDD<Shard<MoeExample>> shards = shards(data("tokens").examples(0, 60));
        MoeModel model = new MoeModel(config("tokens", BalanceMode.GLOBAL_STALE, 4));
        StatisticSet statistics = new StatisticSet(model.statistics());
        EngineConfig config = EngineConfig.defaults().withRounds(6).withBatchSize(4);
        TrainingEngine<MoeExample> full = new TrainingEngine<>(sc, model, Adam.adam(0.02), config, statistics, SEED,
                RunMetrics.detached());
        TrainingState uninterrupted = full.initialState();
        full.train(shards, uninterrupted, new MoeRoundListener(model.config(), statistics), null);

        CheckpointStore store = new CheckpointStore(new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "ckpt"),
                sc.hadoopConfiguration(), statistics, SEED, 2, 2);
        TrainingEngine<MoeExample> first = new TrainingEngine<>(sc, model, Adam.adam(0.02), config.withRounds(4),
                statistics, SEED, RunMetrics.detached());
        first.train(shards, first.initialState(), new MoeRoundListener(model.config(), statistics), store);
        TrainingState resumed = store.load(store.latest().orElseThrow());
        assertThat(resumed.nextRound()).isEqualTo(4);
        int countIndex = statistics.indexOf(ExpertCounts.NAME);
        assertThat(ExpertCounts.tokens((long[]) resumed.statistics()[countIndex])).isPositive();

        TrainingEngine<MoeExample> second = new TrainingEngine<>(sc, model, Adam.adam(0.02), config, statistics,
                SEED, RunMetrics.detached());
        second.train(shards, resumed, new MoeRoundListener(model.config(), statistics), null);
        assertThat(resumed.params()).containsExactly(uninterrupted.params());
        assertThat(resumed.optimizerState()).containsExactly(uninterrupted.optimizerState());
        assertThat((long[]) resumed.statistics()[countIndex])
                .containsExactly((long[]) uninterrupted.statistics()[countIndex]);
        shards.unpersist(false);
    }

    /**
     * One-pass global balancing: on the allreduce transport the loss pass routes, all-reduces the expert counts
     * inside the task and back-propagates from the same forward; it trains bit-identically to the two-pass mode
     * (parameters, Adam state, every round's merged counts), with one or several rounds per barrier stage, with a
     * first-attempt failure injected into the in-step statistics collective, and on the driver transport (where it
     * falls back to a counting pass).
     */
    @Test
    void onePassEqualsTwoPassBitForBitAlsoUnderAFailureInTheInStepCollective() throws Exception {
        JavaRDD<Shard<MoeExample>> shards = shards(data("tokens").examples(0, 60));
        Run twoPass = train(BalanceMode.GLOBAL_TWO_PASS, shards, null, Transport.DRIVER, 1);
        Run onePass = train(BalanceMode.GLOBAL_ONE_PASS, shards, null, Transport.ALLREDUCE, 1);
        Run staged = train(BalanceMode.GLOBAL_ONE_PASS, shards, null, Transport.ALLREDUCE, 3);
        Run driverFallback = train(BalanceMode.GLOBAL_ONE_PASS, shards, null, Transport.DRIVER, 1);
        int before = INJECTED_FAILURES.get();
        Run faulty = train(BalanceMode.GLOBAL_ONE_PASS, shards, new EngineConfig.FaultInjection(2, 1, "statistics"),
                Transport.ALLREDUCE, 3);
        long deadline = System.currentTimeMillis() + 10_000;
        while (INJECTED_FAILURES.get() == before && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(INJECTED_FAILURES.get() - before).as("injected failures in the in-step collective").isEqualTo(1);

        assertThat(onePass.timings.get(0)).as("the counts crossed the in-step collective")
                .containsKey("inStepCollective");
        int countIndex = new StatisticSet(twoPass.model.statistics()).indexOf(ExpertCounts.NAME);
        Map<String, Run> runs = Map.of("allreduce, 1 round/stage", onePass, "allreduce, 3 rounds/stage", staged,
                "driver transport", driverFallback, "allreduce, injected failure", faulty);
        runs.forEach((what, run) -> {
            assertThat(run.state.params()).as(what + " params").containsExactly(twoPass.state.params());
            assertThat(run.state.optimizerState()).as(what + " Adam state")
                    .containsExactly(twoPass.state.optimizerState());
            assertThat(run.countsPerRound).as(what + " rounds").hasSize(ROUNDS);
            for (int r = 0; r < ROUNDS; r++) {
                assertThat(run.countsPerRound.get(r)).as(what + " round " + r + " counts")
                        .containsExactly(twoPass.countsPerRound.get(r));
                assertThat(ExpertCounts.tokens(run.countsPerRound.get(r))).isEqualTo(run.tokensPerRound.get(r));
            }
            assertThat((long[]) run.state.statistics()[countIndex]).as(what + " carried counts")
                    .containsExactly((long[]) twoPass.state.statistics()[countIndex]);
        });
        // the parameters moved, and the global counts matter: micro balancing ends elsewhere
        assertThat(twoPass.state.params()).isNotEqualTo(twoPass.initialParams);
        Run micro = train(BalanceMode.MICRO, shards, null, Transport.ALLREDUCE, 3);
        assertThat(micro.state.params()).isNotEqualTo(twoPass.state.params());
        shards.unpersist(false);
    }

    private static final int ROUNDS = 5;

    private record Run(MoeModel model, float[] initialParams, TrainingState state, List<long[]> countsPerRound,
                       List<Long> tokensPerRound, List<Map<String, Double>> timings) {
    }

    private Run train(BalanceMode mode, JavaRDD<Shard<MoeExample>> shards, EngineConfig.FaultInjection fault) {
        return train(mode, shards, fault, Transport.DRIVER, 1, 4);
    }

    private Run train(BalanceMode mode, JavaRDD<Shard<MoeExample>> shards, EngineConfig.FaultInjection fault,
                      Transport transport, int roundsPerStage) {
        return train(mode, shards, fault, transport, roundsPerStage, ROUNDS);
    }

    private Run train(BalanceMode mode, JavaRDD<Shard<MoeExample>> shards, EngineConfig.FaultInjection fault,
                      Transport transport, int roundsPerStage, int rounds) {
        MoeModel model = new MoeModel(config("tokens", mode, 4));
        StatisticSet statistics = new StatisticSet(model.statistics());
        EngineConfig config = EngineConfig.defaults().withRounds(rounds).withBatchSize(4).withFault(fault)
                .withTransport(transport, roundsPerStage);
        TrainingEngine<MoeExample> engine = new TrainingEngine<>(sc, model, Adam.adam(0.02), config, statistics,
                SEED, RunMetrics.detached());
        TrainingState state = engine.initialState();
        float[] initial = state.params().clone();
        List<long[]> counts = new ArrayList<>();
        List<Long> tokens = new ArrayList<>();
        List<Map<String, Double>> timings = new ArrayList<>();
        List<Shard<MoeExample>> local = collect(shards);
        MoeRoundListener checks = new MoeRoundListener(model.config(), statistics);
        RoundListener listener = new RoundListener() {
            @Override
            public Decision afterRound(TrainingState s, RoundSummary summary) {
                checks.afterRound(s, summary);
                long[] merged = (long[]) summary.statistics().get(ExpertCounts.NAME);
                if (merged != null) {
                    counts.add(merged.clone());
                }
                timings.add(summary.timingsMs());
                long t = 0;
                for (Shard<MoeExample> shard : local) {
                    t += engine.work().plan().batch(shard, summary.round()).stream()
                            .mapToLong(MoeExample::positions).sum();
                }
                tokens.add(t);
                return Decision.CONTINUE;
            }

            /** Reads the round's statistics only, so allreduce stages may run several rounds. */
            @Override
            public boolean needsStateAfter(int completedRounds) {
                return false;
            }
        };
        engine.train(shards, state, listener, null);
        return new Run(model, initial, state, counts, tokens, timings);
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** max_k |a_k − b_k| / max_k |b_k|. */
    private static double relativeError(float[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        double diff = 0;
        for (int k = 0; k < actual.length; k++) {
            diff = Math.max(diff, Math.abs(actual[k] - expected[k]));
        }
        return diff / maxAbs(expected);
    }
}
