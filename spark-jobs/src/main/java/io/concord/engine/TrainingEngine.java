package io.concord.engine;

import io.concord.core.model.Model;
import io.concord.core.model.ModelCapabilities;
import io.concord.core.model.StatisticsProducer;
import io.concord.core.optim.Optimizer;
import io.concord.core.stat.GlobalStatistic.Freshness;
import io.concord.engine.allreduce.RoundReport;
import io.concord.engine.checkpoint.CheckpointStore;
import io.concord.engine.checkpoint.Checkpointer;
import io.concord.engine.metrics.ExecutorTrainingMetrics;
import io.concord.engine.metrics.RunMetrics;
import io.concord.engine.stat.StatisticAccumulator;
import io.concord.engine.sync.OptimizerSteps;
import io.concord.engine.sync.RoundWork;
import io.concord.engine.sync.SyncStrategy;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The round loop. Once per run: broadcast the per-run bundle ({@link RunBundle}: model, optimizer, config,
 * statistics). Each round: broadcast parameters (+ optimizer state when the sync mode ships it, + the stale
 * statistics) → optionally a statistics pass whose exact merged value is broadcast → every partition computes on its
 * shard → ONE action returns the merged {@link RoundRecord} → the driver updates, reports and checkpoints. A round's
 * broadcasts are destroyed as soon as its action has finished, the bundle when {@link #train} returns.
 */
public final class TrainingEngine<R> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingEngine.class);

    private final JavaSparkContext sc;
    private final RoundWork<R> work;
    private final SyncStrategy sync;
    private final RunMetrics metrics;
    private final StatisticAccumulator statisticsPassAccumulator;
    private final BarrierStages<R> stages;
    private RunBundle<R> bundle;
    private long shippedRevision;

    /** A run whose model declares all it needs ({@link Model#capabilities()}). */
    public TrainingEngine(JavaSparkContext sc, Model<R> model, Optimizer optimizer, EngineConfig config,
                          StatisticSet statistics, long seed, RunMetrics metrics) {
        this(sc, model, optimizer, config, statistics, seed, metrics, null);
    }

    /**
     * @param curvature a companion that provides a curvature optimizer's (Sophia's) inputs for a model that does
     *                  not declare them itself (e.g. {@code LinearSoftmaxCurvature} for a linear classifier); null
     *                  for the model's own
     */
    public TrainingEngine(JavaSparkContext sc, Model<R> model, Optimizer optimizer, EngineConfig config,
                          StatisticSet statistics, long seed, RunMetrics metrics, Object curvature) {
        this.sc = Objects.requireNonNull(sc, "sc");
        ModelCapabilities<R> capabilities = curvature == null ? model.capabilities()
                : model.capabilities().withCurvature(curvature);
        this.work = new RoundWork<>(model, optimizer, new BatchPlan(seed, config.batchSize(), config.shuffle()),
                config, statistics, seed, capabilities);
        OptimizerSteps.checkCompatible(work);
        this.sync = SyncStrategy.of(config.sync());
        this.metrics = metrics == null ? RunMetrics.detached() : metrics;
        if (statistics.needsStatisticsPass() && capabilities.statistics() == null) {
            throw new IllegalArgumentException("a TWO_PASS or IN_STEP statistic needs a model implementing "
                    + "StatisticsProducer; " + model.getClass().getName() + " does not");
        }
        if (statistics.has(Freshness.IN_STEP) && config.sync() != SyncMode.GLOBAL_BATCH) {
            throw new IllegalArgumentException("an IN_STEP statistic needs train.sync: global-batch (one model call "
                    + "per partition per round), got " + config.sync());
        }
        this.statisticsPassAccumulator = new StatisticAccumulator(statistics);
        sc.sc().register(statisticsPassAccumulator, "concord.statistics-pass");
        this.stages = config.transport().barrier() ? new BarrierStages<>(sc, work, sync, this::bundle) : null;
    }

    public RoundWork<R> work() {
        return work;
    }

    /** The per-run bundle, broadcast on first use and again after a change to the optimizer's schedule. */
    private RunBundle<R> bundle() {
        if (bundle != null && work.optimizer().revision() != shippedRevision) {
            LOG.info("the optimizer changed on the driver (revision {}): shipping the bundle again",
                    work.optimizer().revision());
            releaseBundle();
        }
        if (bundle == null) {
            shippedRevision = work.optimizer().revision();
            bundle = RunBundle.ship(sc, work);
            LOG.info("per-run bundle (model, optimizer, config, statistics): {} bytes, broadcast once",
                    bundle.size());
        }
        return bundle;
    }

    private void releaseBundle() {
        if (bundle != null) {
            bundle.destroy();
            bundle = null;
        }
    }

    /** Fresh parameters (from the model's seeded initialisation) and optimizer state, at round 0. */
    public TrainingState initialState() {
        Model<R> model = work.model();
        float[] params = new float[model.numParams()];
        model.initParams(params, work.seed());
        float[] state = new float[work.optimizer().stateSize(params.length)];
        work.optimizer().initialiseState(state, params);
        return new TrainingState(params, state, 0, null, Map.of());
    }

    /**
     * Runs rounds {@code state.nextRound()} … {@code config.rounds() − 1} (or until a listener stops), mutating
     * {@code state}. Returns the number of rounds run in this call.
     */
    public int train(JavaRDD<Shard<R>> shards, TrainingState state, RoundListener listener,
                     Checkpointer checkpointer) {
        try {
            return stages != null ? trainInStages(shards, state, listener, checkpointer)
                    : trainRounds(shards, state, listener, checkpointer);
        } finally {
            releaseBundle();
        }
    }

    private int trainRounds(JavaRDD<Shard<R>> shards, TrainingState state, RoundListener listener,
                            Checkpointer checkpointer) {
        int totalRounds = work.config().rounds();
        int ran = 0;
        while (state.nextRound() < totalRounds) {
            RoundSummary summary = runRound(shards, state);
            ran++;
            // Spark UI: jobs started by listeners (evaluation) and checkpoints are named after the round too
            sc.setJobDescription("round " + summary.round() + " of " + totalRounds + ": evaluate / checkpoint");
            RoundListener.Decision decision = listener.afterRound(state, summary);
            metrics.roundCompleted(summary, totalRounds);
            boolean last = decision == RoundListener.Decision.STOP || state.nextRound() >= totalRounds;
            if (checkpointer != null) {
                checkpointer.roundCompleted(state, summary, last);
            }
            if (decision == RoundListener.Decision.STOP) {
                LOG.info("stopping after round {} at a listener's request", summary.round());
                break;
            }
        }
        sc.setJobDescription(null);
        return ran;
    }

    /**
     * The allreduce loop. A stage's final state stays on the executors; the driver pulls it only before a listener
     * that reads it, before a checkpoint the owners do not write, and at the end of the run. Checkpoints of a
     * {@link CheckpointStore} at stage ends are written by the owners (one slice each) and committed here.
     */
    private int trainInStages(JavaRDD<Shard<R>> shards, TrainingState state, RoundListener listener,
                              Checkpointer checkpointer) {
        int totalRounds = work.config().rounds();
        CheckpointStore sliceStore = checkpointer == null ? null : checkpointer.sliceStore();
        int ran = 0;
        boolean stop = false;
        while (!stop && state.nextRound() < totalRounds) {
            int rounds = stageLength(state.nextRound(), totalRounds, listener);
            int end = state.nextRound() + rounds;
            boolean ownersWrite = sliceStore != null && sliceStore.saves(end, end >= totalRounds);
            List<RoundSummary> stage = runStage(shards, state, rounds,
                    ownersWrite ? sliceStore.prepareSlices(end) : null);
            for (int i = 0; i < stage.size(); i++) {
                RoundSummary summary = stage.get(i);
                ran++;
                // Only a stage's last round has the state's vectors (a stop asked for inside a stage, e.g. by a
                // signal, takes effect at the stage's end, so the final checkpoint is that round's true state);
                // the checkpointer therefore sees only stage ends.
                boolean stageEnd = i == stage.size() - 1;
                if (stageEnd && listener.needsStateAfter(state.nextRound())) {
                    pull(shards, state, summary);
                }
                stop |= listener.afterRound(state, summary) == RoundListener.Decision.STOP;
                metrics.roundCompleted(summary, totalRounds);
                boolean last = (stop && stageEnd) || state.nextRound() >= totalRounds;
                if (checkpointer != null && stageEnd) {
                    if (ownersWrite) {
                        sliceStore.slicesWritten(state.nextRound(), stages.layout(state, shards.getNumPartitions()),
                                stages.lastSliceSha256s());
                    } else if (checkpointer.saves(state.nextRound(), last)) {
                        pull(shards, state, summary);
                    }
                    checkpointer.roundCompleted(state, summary, last);
                }
                if (stop && stageEnd) {
                    LOG.info("stopping after round {} at a listener's request", summary.round());
                }
            }
        }
        stages.release(shards, state);
        return ran;
    }

    private void pull(JavaRDD<Shard<R>> shards, TrainingState state, RoundSummary summary) {
        long before = stages.lastPulledBytes();
        stages.pull(shards, state);
        if (stages.lastPulledBytes() != before) {
            summary.timingsMs().put("driverMBPulled", stages.lastPulledBytes() / 1e6);
        }
    }

    /**
     * Rounds of the stage starting at {@code first}: up to {@code train.roundsPerStage}, ending at the last round,
     * at a checkpoint round, or at a round whose state the listener reads.
     */
    int stageLength(int first, int totalRounds, RoundListener listener) {
        int every = work.config().checkpointEvery();
        int k = 1;
        while (k < work.config().roundsPerStage()) {
            int completed = first + k;
            if (completed >= totalRounds || (every > 0 && completed % every == 0)
                    || listener.needsStateAfter(completed)) {
                break;
            }
            k++;
        }
        return k;
    }

    /**
     * {@code rounds} rounds in one barrier stage (allreduce transport); advances {@code state} round by round. The
     * stage's final vectors stay on the executors until {@link #collectState}. Public so benchmarks can time stages.
     */
    public List<RoundSummary> runStage(JavaRDD<Shard<R>> shards, TrainingState state, int rounds) {
        return runStage(shards, state, rounds, null);
    }

    /** Brings the state the last stage left on the executors into {@code state}'s vectors and frees it there. */
    public void collectState(JavaRDD<Shard<R>> shards, TrainingState state) {
        if (stages != null) {
            stages.release(shards, state);
        }
    }

    private List<RoundSummary> runStage(JavaRDD<Shard<R>> shards, TrainingState state, int rounds,
                                        String sliceDirectory) {
        if (stages == null) {
            throw new IllegalStateException("train.transport is driver: rounds run one Spark job each");
        }
        StatisticSet statistics = work.statistics();
        List<RoundReport> reports = stages.run(shards, state, rounds, sliceDirectory);
        List<RoundSummary> summaries = new ArrayList<>();
        for (RoundReport report : reports) {
            state.setStatistics(statistics.carryForward(state.statistics(), report.statistics()));
            state.advance();
            if (!Double.isFinite(report.loss())) {
                throw new NonFiniteLossException(report.round(), report.loss());
            }
            Map<String, Double> timings = new LinkedHashMap<>(report.timingsMs());
            timings.put("driverMBSent", stages.lastDriverBytesSent() / 1e6 / rounds);
            timings.put("driverMBReceived", stages.lastDriverBytesReceived() / 1e6 / rounds);
            timings.put("peerMB", stages.lastPeerBytes() / 1e6 / rounds);
            summaries.add(new RoundSummary(report.round(), report.loss(), report.examples(),
                    statistics.byName(report.statistics()), timings));
        }
        return summaries;
    }

    /** One round; public so benchmarks can time rounds in isolation. */
    public RoundSummary runRound(JavaRDD<Shard<R>> shards, TrainingState state) {
        final int round = state.nextRound();
        final StatisticSet statistics = work.statistics();
        long t0 = System.nanoTime();

        float[] shippedState = sync.shipsOptimizerState(work) ? state.optimizerState() : null;
        Object[] stale = statistics.carriedSnapshot(state.statistics());
        Broadcast<RoundInput> input = sc.broadcast(new RoundInput(round, state.params(), shippedState, stale));
        long t1 = System.nanoTime();

        Object[] twoPass = null;
        Broadcast<Object[]> twoPassBroadcast = null;
        // without a collective inside the task, in-step statistics are computed beforehand like two-pass ones
        if (statistics.needsStatisticsPass()) {
            sc.setJobDescription("round " + round + ": statistics pass");
            twoPass = statisticsPass(shards, input);
            twoPassBroadcast = sc.broadcast(twoPass);
        }
        long t2 = System.nanoTime();

        sc.setJobDescription("round " + round + ": " + sync.mode().name().toLowerCase(Locale.ROOT).replace('_', '-')
                + " update");
        RoundRecord merged = computeRound(shards, input, twoPassBroadcast);
        long t3 = System.nanoTime();

        input.destroy();
        if (twoPassBroadcast != null) {
            twoPassBroadcast.destroy();
        }
        Object[] roundStatistics = merged.statistics();
        if (twoPass != null) {
            for (int i = 0; i < statistics.size(); i++) {
                if (statistics.get(i).freshness() == Freshness.TWO_PASS) {
                    roundStatistics[i] = twoPass[i];
                }
            }
        }
        double loss = sync.apply(work, merged, state, round);
        state.setStatistics(statistics.carryForward(state.statistics(), roundStatistics));
        state.advance();
        long t4 = System.nanoTime();
        if (sync.mode() == SyncMode.GLOBAL_BATCH && OptimizerSteps.wantsCurvature(work, round + 1L)) {
            curvaturePass(shards, state, round);
        }
        long t5 = System.nanoTime();

        Map<String, Double> timings = new LinkedHashMap<>();
        double computeMs = merged.computeNanosMax() / 1e6;
        timings.put("broadcast", (t1 - t0) / 1e6);
        timings.put("statsPass", (t2 - t1) / 1e6);
        timings.put("compute", computeMs);
        timings.put("aggregate", Math.max(0.0, (t3 - t2) / 1e6 - computeMs));
        timings.put("update", (t4 - t3) / 1e6);
        timings.put("curvature", (t5 - t4) / 1e6);
        timings.put("round", (t5 - t0) / 1e6);
        if (!Double.isFinite(loss)) {
            throw new NonFiniteLossException(round, loss);
        }
        return new RoundSummary(round, loss, merged.examples(), statistics.byName(roundStatistics), timings);
    }

    private RoundRecord computeRound(JavaRDD<Shard<R>> shards, Broadcast<RoundInput> input,
                                     Broadcast<Object[]> twoPass) {
        final RunBundle<R> b = bundle();
        final SyncStrategy s = sync;
        JavaRDD<RoundRecord> records = shards.mapPartitions(
                (Iterator<Shard<R>> it) -> computeOnExecutor(b.value(), s, it, input.value(),
                        twoPass == null ? null : twoPass.value()));
        return OrderedReduce.reduce(records, (x, y) -> x.merge(y, b.value().statistics()),
                work.config().aggregationDepth(), RoundRecord.class);
    }

    private static <R> Iterator<RoundRecord> computeOnExecutor(RoundWork<R> work, SyncStrategy sync,
                                                                Iterator<Shard<R>> it, RoundInput input,
                                                                Object[] twoPass) {
        Shard<R> shard = single(it);
        EngineStepContext ctx = new EngineStepContext(work.seed(), shard.partition(), work.statistics(), twoPass,
                input.staleStatistics(), work.statistics().zeros());
        RoundRecord record = sync.computePartition(work, input, shard, ctx);
        ExecutorTrainingMetrics.get().partitionComputed(record.examples(), record.computeNanosMax());
        maybeInjectFault(work, input.round(), shard.partition(), "the round action");
        return List.of(record).iterator();
    }

    /**
     * The forward-only statistics pass: every partition adds its contribution to an accumulator inside
     * {@code foreachPartition}, i.e. in the result stage of an action, where Spark applies each partition's update
     * exactly once whatever retries or speculative attempts occur.
     */
    private Object[] statisticsPass(JavaRDD<Shard<R>> shards, Broadcast<RoundInput> input) {
        final RunBundle<R> b = bundle();
        final StatisticAccumulator accumulator = statisticsPassAccumulator;
        accumulator.reset();
        shards.foreachPartition(it -> {
            RoundWork<R> w = b.value();
            Shard<R> shard = single(it);
            RoundInput in = input.value();
            EngineStepContext ctx = new EngineStepContext(w.seed(), shard.partition(), w.statistics(), null,
                    in.staleStatistics(), w.statistics().zeros());
            StatisticsProducer<R> producer = w.capabilities().statistics();
            int steps = w.config().stepsPerRound();
            for (int k = 0; k < steps; k++) {
                long step = (long) in.round() * steps + k;
                ctx.atStep(step);
                producer.contributeStatistics(in.params(), w.plan().batch(shard, step), ctx);
            }
            accumulator.add(ctx.locals());
            maybeInjectFault(w, in.round(), shard.partition(), "the statistics pass");
        });
        Object[] value = accumulator.value();
        return value == null ? work.statistics().zeros() : value;
    }

    /**
     * Global-batch curvature estimate for Sophia after step {@code round + 1}: every partition adds its contribution
     * at the updated parameters on the round's batch; the driver folds the global mean into the optimizer state.
     */
    private void curvaturePass(JavaRDD<Shard<R>> shards, TrainingState state, int round) {
        final RunBundle<R> b = bundle();
        final long t = round + 1L;
        Broadcast<float[]> params = sc.broadcast(state.params());
        sc.setJobDescription("round " + round + ": curvature pass");
        JavaRDD<RoundRecord> contributions = shards.mapPartitions(it -> {
            RoundWork<R> w = b.value();
            Shard<R> shard = single(it);
            EngineStepContext ctx = new EngineStepContext(w.seed(), shard.partition(), w.statistics(), null, null,
                    w.statistics().zeros());
            float[] sum = new float[params.value().length];
            double weight = OptimizerSteps.accumulateCurvature(w, params.value(), w.plan().batch(shard, round), sum,
                    ctx.curvatureContext(round), t);
            return List.of(new RoundRecord(sum, null, weight, 0.0, 0, null, 0)).iterator();
        });
        RoundRecord merged = OrderedReduce.reduce(contributions, (x, y) -> x.merge(y, b.value().statistics()), 1,
                RoundRecord.class);
        params.destroy();
        OptimizerSteps.foldCurvature(work, merged.vector(), merged.weight(), state.optimizerState(), t);
    }

    private static <R> Shard<R> single(Iterator<Shard<R>> it) {
        if (!it.hasNext()) {
            throw new IllegalStateException("partition holds no shard");
        }
        Shard<R> shard = it.next();
        if (it.hasNext()) {
            throw new IllegalStateException("partition holds more than one shard");
        }
        return shard;
    }

    private static void maybeInjectFault(RoundWork<?> work, int round, int partition, String phase) {
        EngineConfig.FaultInjection fault = work.config().injectFault();
        TaskContext task = TaskContext.get();
        if (fault != null && task != null && fault.round() == round && fault.partition() == partition
                && task.attemptNumber() == 0) {
            throw new InjectedFaultException(round, partition, phase);
        }
    }
}
