package io.concord.engine;

import io.concord.config.ConfigException;
import io.concord.core.model.Model;
import io.concord.core.model.StatisticsProducer;
import io.concord.core.optim.CurvatureOptimizer;
import io.concord.core.optim.LossAwareOptimizer;
import io.concord.core.optim.Optimizer;
import io.concord.core.stat.GlobalStatistic.Freshness;
import io.concord.engine.allreduce.PeerExchange;
import io.concord.engine.allreduce.RoundReport;
import io.concord.engine.allreduce.Slices;
import io.concord.engine.allreduce.StageInput;
import io.concord.engine.allreduce.StageOutput;
import io.concord.engine.allreduce.StateLayout;
import io.concord.engine.metrics.ExecutorTrainingMetrics;
import io.concord.engine.sync.OptimizerSteps;
import io.concord.engine.sync.RoundWork;
import io.concord.engine.sync.SyncStrategy;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.serializer.SerializerInstance;
import scala.Function1;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The allreduce transport: one barrier stage ({@code RDD.barrier()}) runs several rounds while its tasks stay alive.
 * Partition p owns slice p of the parameters (and, for element-wise optimizers in global-batch mode, of the optimizer
 * state). Each round: [two-pass statistics: contribute, all-gather the small values, merge in partition order] →
 * compute → all-gather the round's scalars and statistics → reduce-scatter of the vectors (owner folds the P
 * contributions in partition order) → update → all-gather of the new parameters. Every task runs the same
 * deterministic code on the same merged values, so the result equals the driver path's ordered reduce and update.
 *
 * <p>The driver sends the stage's starting state once (a torrent broadcast) and receives each owner's final slice
 * plus per-round reports. A failed task fails the stage; Spark re-runs every task of it from the same broadcast, so
 * the retried rounds are bit-identical.
 */
final class BarrierStages<R> implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final long SLOT_WAIT_MS = 30_000;

    private final transient JavaSparkContext sc;
    /** Driver side only: each task takes its own from the per-run bundle. */
    private final transient RoundWork<R> work;
    private final SyncStrategy sync;
    private final Transport transport;
    private final boolean shardedState;
    private transient boolean slotsChecked;
    private transient long lastDriverBytesSent;
    private transient long lastDriverBytesReceived;
    private transient long lastPeerBytes;

    BarrierStages(JavaSparkContext sc, RoundWork<R> work, SyncStrategy sync) {
        this.sc = sc;
        this.work = work;
        this.sync = sync;
        this.transport = work.config().transport();
        this.shardedState = shardsState(work);
    }

    /**
     * Whether each owner steps only its slice of parameters and optimizer state: global-batch with an element-wise
     * optimizer. Otherwise (parameter averaging, loss-aware and curvature optimizers, projections) the reduced
     * vector is all-gathered and every task applies the driver's update to its replica.
     */
    static boolean shardsState(RoundWork<?> work) {
        Optimizer o = work.optimizer();
        return work.config().sync() == SyncMode.GLOBAL_BATCH && o.elementWise()
                && !(o instanceof LossAwareOptimizer) && !(o instanceof CurvatureOptimizer);
    }

    boolean shardedState() {
        return shardedState;
    }

    /** Driver bytes (broadcast + RPC + results) of the last stage, sent and received. */
    long lastDriverBytesSent() {
        return lastDriverBytesSent;
    }

    long lastDriverBytesReceived() {
        return lastDriverBytesReceived;
    }

    /** Slice bytes fetched between executors' block managers in the last stage. */
    long lastPeerBytes() {
        return lastPeerBytes;
    }

    /**
     * Runs rounds {@code state.nextRound()} … {@code + rounds − 1} in one barrier stage; installs the final
     * parameters and optimizer state into {@code state} (statistics and the round counter are the caller's) and
     * returns one report per round.
     */
    List<RoundReport> run(JavaRDD<Shard<R>> shards, TrainingState state, int rounds, RunBundle<R> bundle) {
        int parts = shards.getNumPartitions();
        checkSlots(parts);
        long start = System.nanoTime();
        StageInput input = new StageInput(state.nextRound(), rounds, ThreadLocalRandom.current().nextLong(),
                state.params(), state.optimizerState(), state.statistics());
        Broadcast<StageInput> broadcast = sc.broadcast(input);
        final BarrierStages<R> self = this;
        @SuppressWarnings("unchecked")
        Function1<scala.collection.Iterator<Shard<R>>, scala.collection.Iterator<StageOutput>> task =
                (Function1<scala.collection.Iterator<Shard<R>>, scala.collection.Iterator<StageOutput>> & Serializable)
                        it -> JavaConverters.asScalaIterator(self.runTask(JavaConverters.asJavaIterator(it),
                                broadcast.value(), bundle.value()));
        ClassTag<StageOutput> tag = ClassTag$.MODULE$.apply(StageOutput.class);
        // Spark retries a failed barrier stage only when it is a shuffle-map stage (a result stage may have handed
        // results out already): the owners' slices therefore cross one small shuffle before reaching the driver.
        JavaRDD<StageOutput> barrierStage = new JavaRDD<>(shards.rdd().barrier().mapPartitions(task, false, tag),
                tag);
        List<StageOutput> outputs;
        try {
            outputs = new ArrayList<>(barrierStage
                    .mapToPair(out -> new Tuple2<>(out.partition(), out))
                    .partitionBy(new HashPartitioner(parts))
                    .values()
                    .collect());
        } finally {
            broadcast.destroy();
        }
        outputs.sort(Comparator.comparingInt(StageOutput::partition));
        List<String> leftOver = new ArrayList<>();
        outputs.forEach(o -> leftOver.addAll(o.leftOverBlocks()));
        PeerExchange.cleanUp(transport, leftOver);

        float[] params = state.params();
        float[] optimizerState = state.optimizerState();
        Slices slices = new Slices(params.length, parts);
        StateLayout layout = stateLayout(optimizerState.length, params.length, parts);
        long sent = 4L * (params.length + optimizerState.length);
        long received = 0;
        long peer = 0;
        List<RoundReport> reports = null;
        for (StageOutput out : outputs) {
            int p = out.partition();
            System.arraycopy(out.params(), 0, params, slices.lo(p), out.params().length);
            layout.insert(optimizerState, out.optimizerState(), p);
            received += 4L * (out.params().length + out.optimizerState().length);
            sent += out.driverBytesReceived();
            received += out.driverBytesSent();
            peer += out.peerBytesFetched();
            if (out.reports() != null) {
                reports = out.reports();
            }
        }
        lastDriverBytesSent = sent;
        lastDriverBytesReceived = received;
        lastPeerBytes = peer;
        if (reports == null || reports.size() != rounds) {
            throw new IllegalStateException("barrier stage returned no reports for its " + rounds + " rounds");
        }
        double stageMs = (System.nanoTime() - start) / 1e6;
        double taskMs = reports.stream().mapToDouble(r -> r.timingsMs().getOrDefault("taskRound", 0.0)).sum();
        for (RoundReport r : reports) {
            Map<String, Double> t = r.timingsMs();
            double round = stageMs / rounds;
            t.put("stageOverhead", Math.max(0.0, stageMs - taskMs) / rounds);
            t.put("round", round);
            double busy = t.getOrDefault("compute", 0.0) + t.getOrDefault("update", 0.0)
                    + t.getOrDefault("statsPass", 0.0) + t.getOrDefault("curvature", 0.0);
            t.put("aggregate", Math.max(0.0, round - busy));
        }
        return reports;
    }

    private StateLayout stateLayout(int stateLength, int numParams, int parts) {
        return StateLayout.of(stateLength, numParams, shardedState, parts);
    }

    /** Barrier mode needs every partition running at once: fail with the settings to change, not a long wait. */
    private void checkSlots(int parts) {
        if (slotsChecked) {
            return;
        }
        long deadline = System.currentTimeMillis() + (sc.isLocal() ? 0 : SLOT_WAIT_MS);
        int slots = freeSlots();
        while (slots < parts && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            slots = freeSlots();
        }
        if (slots < parts) {
            throw new ConfigException("train.partitions", parts, "at most the cluster's task slots (" + slots
                    + " now) with train.transport: " + transport.configName() + ": a barrier stage runs every "
                    + "partition at once; lower train.partitions or add executors/cores (spark.executor.instances, "
                    + "spark.executor.cores, spark.cores.max, local[n])");
        }
        slotsChecked = true;
    }

    private int freeSlots() {
        return sc.sc().maxNumConcurrentTasks(sc.sc().resourceProfileManager().defaultResourceProfile());
    }

    // ---------------------------------------------------------------------------------------------- executor side

    private Iterator<StageOutput> runTask(Iterator<Shard<R>> it, StageInput in, RoundWork<R> work) {
        Shard<R> shard = it.next();
        if (it.hasNext()) {
            throw new IllegalStateException("partition holds more than one shard");
        }
        BarrierTaskContext task = BarrierTaskContext.get();
        PeerExchange exchange = PeerExchange.open(transport, task, in.nonce());
        boolean finished = false;
        try {
            StageOutput out = new TaskRounds(work, task, exchange, shard, in).run();
            exchange.close();
            finished = true;
            return List.of(out).iterator();
        } finally {
            if (!finished) {
                exchange.abandon();
            }
        }
    }

    /** The rounds of one task of one stage. */
    private final class TaskRounds {
        private final RoundWork<R> work;
        private final BarrierTaskContext task;
        private final PeerExchange exchange;
        private final Shard<R> shard;
        private final StageInput in;
        private final int partition;
        private final int parts;
        private final StatisticSet statistics;
        private final SerializerInstance serializer = SparkEnv.get().serializer().newInstance();
        private final float[] params;
        private float[] optimizerState;
        private final Slices slices;
        private final StateLayout layout;
        private Object[] carried;

        TaskRounds(RoundWork<R> work, BarrierTaskContext task, PeerExchange exchange, Shard<R> shard,
                   StageInput in) {
            this.work = work;
            this.task = task;
            this.exchange = exchange;
            this.shard = shard;
            this.in = in;
            this.partition = task.partitionId();
            this.parts = task.getTaskInfos().length;
            this.statistics = work.statistics();
            // the broadcast value is shared by the executor's tasks: work on copies
            this.params = in.params().clone();
            this.slices = new Slices(params.length, parts);
            this.layout = stateLayout(in.optimizerState().length, params.length, parts);
            this.optimizerState = shardedState ? layout.extract(in.optimizerState(), partition)
                    : in.optimizerState().clone();
            this.carried = in.statistics();
        }

        StageOutput run() {
            List<RoundReport> reports = new ArrayList<>();
            for (int k = 0; k < in.rounds(); k++) {
                RoundReport report = round(in.firstRound() + k);
                if (partition == 0) {
                    reports.add(report);
                }
            }
            float[] stateSlice = shardedState ? optimizerState : layout.extract(optimizerState, partition);
            return new StageOutput(partition, Arrays.copyOfRange(params, slices.lo(partition),
                    slices.hi(partition)), stateSlice, partition == 0 ? reports : null, exchange.driverBytesSent(),
                    exchange.driverBytesReceived(), exchange.peerBytesFetched(), exchange.leftOver());
        }

        private RoundReport round(int round) {
            long t0 = System.nanoTime();
            Object[] stale = statistics.carriedSnapshot(carried);
            Object[] twoPass = statistics.has(Freshness.TWO_PASS) ? collectiveStatistics(round, stale) : null;
            long t1 = System.nanoTime();

            EngineStepContext ctx = new EngineStepContext(work.seed(), shard.partition(), statistics, twoPass, stale,
                    statistics.zeros());
            float[] shippedState = sync.shipsOptimizerState(work) ? optimizerState : null;
            RoundRecord local = sync.computePartition(work, new RoundInput(round, params, shippedState, stale),
                    shard, ctx);
            ExecutorTrainingMetrics.get().partitionComputed(local.examples(), local.computeNanosMax());
            long t2 = System.nanoTime();
            RoundRecord merged = mergeScalars(local);
            long t3 = System.nanoTime();

            Map<String, Double> timings = new LinkedHashMap<>();
            double loss;
            if (sync.mode() == SyncMode.GLOBAL_BATCH) {
                float[] slice = exchange.reduceSlice(local.vector());
                maybeFail(round, "reduce-scatter");
                long t4 = System.nanoTime();
                timings.put("reduceScatter", (t4 - t3) / 1e6);
                if (shardedState) {
                    loss = shardedStep(local.vector(), slice, merged, round);
                    long t5 = System.nanoTime();
                    float[] next = exchange.gather(Arrays.copyOfRange(params, slices.lo(partition),
                            slices.hi(partition)), params.length);
                    System.arraycopy(next, 0, params, 0, params.length);
                    maybeFail(round, "all-gather");
                    timings.put("update", (t5 - t4) / 1e6);
                    timings.put("allGather", (System.nanoTime() - t5) / 1e6);
                } else {
                    float[] gradient = exchange.gather(slice, params.length);
                    maybeFail(round, "all-gather");
                    long t5 = System.nanoTime();
                    loss = sync.apply(work, merged.withVectors(gradient, null), replica(round), round);
                    timings.put("allGather", (t5 - t4) / 1e6);
                    timings.put("update", (System.nanoTime() - t5) / 1e6);
                }
                long t6 = System.nanoTime();
                if (OptimizerSteps.wantsCurvature(work, round + 1L)) {
                    curvature(round);
                }
                timings.put("curvature", (System.nanoTime() - t6) / 1e6);
            } else {
                float[] paramSlice = exchange.reduceSlice(local.vector());
                float[] stateSlice = local.state() == null ? null : exchange.reduceSlice(local.state());
                maybeFail(round, "reduce-scatter");
                long t4 = System.nanoTime();
                float[] averaged = exchange.gather(paramSlice, params.length);
                float[] averagedState = stateSlice == null ? null
                        : exchange.gather(stateSlice, optimizerState.length);
                maybeFail(round, "all-gather");
                long t5 = System.nanoTime();
                loss = sync.apply(work, merged.withVectors(averaged, averagedState), replica(round), round);
                timings.put("reduceScatter", (t4 - t3) / 1e6);
                timings.put("allGather", (t5 - t4) / 1e6);
                timings.put("update", (System.nanoTime() - t5) / 1e6);
            }

            Object[] roundStatistics = merged.statistics();
            if (twoPass != null) {
                for (int i = 0; i < statistics.size(); i++) {
                    if (statistics.get(i).freshness() == Freshness.TWO_PASS) {
                        roundStatistics[i] = twoPass[i];
                    }
                }
            }
            carried = statistics.carryForward(carried, roundStatistics);
            timings.put("statsPass", (t1 - t0) / 1e6);
            timings.put("compute", merged.computeNanosMax() / 1e6);
            timings.put("scalars", (t3 - t2) / 1e6);
            timings.put("taskRound", (System.nanoTime() - t0) / 1e6);
            return new RoundReport(round, loss, merged.examples(), roundStatistics, timings);
        }

        private TrainingState replica(int round) {
            return new TrainingState(params, optimizerState, round, null, Map.of());
        }

        /**
         * The statistics of this round's batches, merged over partitions in partition order before the gradient
         * pass: the two-pass value without a second Spark job.
         */
        private Object[] collectiveStatistics(int round, Object[] stale) {
            EngineStepContext ctx = new EngineStepContext(work.seed(), shard.partition(), statistics, null, stale,
                    statistics.zeros());
            StatisticsProducer<R> producer = work.capabilities().statistics();
            int steps = work.config().stepsPerRound();
            for (int k = 0; k < steps; k++) {
                long step = (long) round * steps + k;
                ctx.atStep(step);
                producer.contributeStatistics(params, work.plan().batch(shard, step), ctx);
            }
            maybeFail(round, "statistics");
            Object[] merged = null;
            for (String payload : exchange.allGather(encode(ctx.locals()))) {
                merged = statistics.merge(merged, (Object[]) decode(payload));
            }
            return merged;
        }

        /** Weight, loss, examples, statistics and timing of every partition, folded in partition order. */
        private RoundRecord mergeScalars(RoundRecord local) {
            RoundRecord small = local.withVectors(null, null);
            RoundRecord merged = null;
            for (String payload : exchange.allGather(encode(small))) {
                RoundRecord r = (RoundRecord) decode(payload);
                merged = merged == null ? r : merged.merge(r, statistics);
            }
            return merged;
        }

        /**
         * {@link io.concord.engine.sync.GlobalBatchSync#apply} restricted to this owner's slice: scale, regularise,
         * clip with the global norm (a scalar all-reduce), step the slice of parameters and optimizer state.
         */
        private double shardedStep(float[] grad, float[] slice, RoundRecord merged, int round) {
            if (!(merged.weight() > 0.0)) {
                throw new IllegalStateException("round " + round + " saw no examples (total weight "
                        + merged.weight() + ")");
            }
            Model<?> model = work.model();
            int lo = slices.lo(partition);
            int hi = slices.hi(partition);
            System.arraycopy(slice, 0, grad, lo, slice.length);
            double scale = model.reduction() == Model.Reduction.MEAN ? 1.0 / merged.weight() : 1.0;
            if (scale != 1.0) {
                float s = (float) scale;
                for (int i = lo; i < hi; i++) {
                    grad[i] *= s;
                }
            }
            // The regulariser's gradient is element-wise in the parameters; entries outside the slice are ignored.
            double regularizer = model.regularize(params, grad);
            double loss = merged.lossSum() * scale + regularizer;
            double maxNorm = work.config().clipNorm();
            if (maxNorm > 0) {
                double sq = 0;
                for (int i = lo; i < hi; i++) {
                    sq += grad[i] * (double) grad[i];
                }
                double total = 0;
                for (String s : exchange.allGather(Double.toString(sq))) {
                    total += Double.parseDouble(s);
                }
                double norm = Math.sqrt(total);
                if (norm > maxNorm) {
                    float s = (float) (maxNorm / norm);
                    for (int i = lo; i < hi; i++) {
                        grad[i] *= s;
                    }
                }
            }
            float[] p = Arrays.copyOfRange(params, lo, hi);
            float[] g = Arrays.copyOfRange(grad, lo, hi);
            work.optimizer().step(p, g, optimizerState, round + 1L);
            System.arraycopy(p, 0, params, lo, p.length);
            return loss;
        }

        /** The driver's curvature pass (Sophia) as an all-reduce; every replica folds the same global mean. */
        private void curvature(int round) {
            long t = round + 1L;
            EngineStepContext ctx = new EngineStepContext(work.seed(), shard.partition(), statistics, null, null,
                    statistics.zeros());
            float[] sum = new float[params.length];
            double weight = OptimizerSteps.accumulateCurvature(work, params, work.plan().batch(shard, round), sum,
                    ctx.curvatureContext(round), t);
            double total = 0;
            boolean first = true;
            for (String s : exchange.allGather(Double.toString(weight))) {
                total = first ? Double.parseDouble(s) : total + Double.parseDouble(s);
                first = false;
            }
            float[] reduced = exchange.gather(exchange.reduceSlice(sum), params.length);
            OptimizerSteps.foldCurvature(work, reduced, total, optimizerState, t);
        }

        private void maybeFail(int round, String phase) {
            EngineConfig.FaultInjection fault = work.config().injectFault();
            String wanted = fault == null || fault.phase() == null ? "reduce-scatter" : fault.phase();
            if (fault != null && fault.round() == round && fault.partition() == partition && wanted.equals(phase)
                    && task.stageAttemptNumber() == 0 && task.attemptNumber() == 0) {
                throw new InjectedFaultException(round, partition, "the " + phase);
            }
        }

        private String encode(Object value) {
            ByteBuffer bytes = serializer.serialize(value, ClassTag$.MODULE$.AnyRef());
            byte[] array = new byte[bytes.remaining()];
            bytes.get(array);
            return Base64.getEncoder().encodeToString(array);
        }

        private Object decode(String text) {
            return serializer.deserialize(ByteBuffer.wrap(Base64.getDecoder().decode(text)),
                    ClassTag$.MODULE$.AnyRef());
        }
    }
}
