package io.concord.engine;

import io.concord.config.ConfigException;
import io.concord.core.model.Model;
import io.concord.core.model.StatisticsProducer;
import io.concord.core.optim.CurvatureOptimizer;
import io.concord.core.optim.LossAwareOptimizer;
import io.concord.core.optim.Optimizer;
import io.concord.core.stat.GlobalStatistic.Freshness;
import io.concord.engine.allreduce.DriverBytes;
import io.concord.engine.allreduce.PeerExchange;
import io.concord.engine.allreduce.RoundReport;
import io.concord.engine.allreduce.Slices;
import io.concord.engine.allreduce.StageInput;
import io.concord.engine.allreduce.StageOutput;
import io.concord.engine.allreduce.StateBlocks;
import io.concord.engine.allreduce.StateLayout;
import io.concord.engine.checkpoint.SliceFiles;
import io.concord.engine.metrics.ExecutorTrainingMetrics;
import io.concord.engine.sync.OptimizerSteps;
import io.concord.engine.sync.ParameterAveragingSync;
import io.concord.engine.sync.RoundWork;
import io.concord.engine.sync.SyncStrategy;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import java.util.function.Supplier;
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
 * compute [in-step statistics: the same collective, run by the model's first read in the middle of its step] →
 * reduce-scatter of the vectors (owner folds the P contributions in partition order), which also all-gathers the
 * round's scalars and statistics → update → all-gather of the new parameters. Every task runs the same
 * deterministic code on the same merged values, so the result equals the driver path's ordered reduce and update.
 *
 * <p>The driver sends the stage's starting state once (a torrent broadcast) and receives each owner's final slice
 * plus per-round reports. A failed task fails the stage; Spark re-runs every task of it from the same broadcast, so
 * the retried rounds are bit-identical.
 */
final class BarrierStages<R> implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BarrierStages.class);
    private static final long SLOT_WAIT_MS = 30_000;

    private final transient JavaSparkContext sc;
    /** Driver side only: each task takes its own from the per-run bundle. */
    private final transient RoundWork<R> work;
    /** The engine's per-run bundle, broadcast on first use. */
    private final transient Supplier<RunBundle<R>> bundles;
    private final SyncStrategy sync;
    private final Transport transport;
    private final boolean shardedState;
    private final StateBlocks stateBlocks = new StateBlocks(ThreadLocalRandom.current().nextLong());
    private transient boolean slotsChecked;
    /** The state whose slices after {@link #residentRound} rounds, cut in {@link #residentParts}, are kept. */
    private transient TrainingState residentOwner;
    private transient int residentRound = -1;
    private transient int residentParts;
    /** The round and statistics of the driver's vectors (what a lost slice is replayed from). */
    private transient int vectorsRound = -1;
    private transient Object[] vectorsStatistics;
    private transient List<String> lastSliceSha256s = List.of();
    private transient long lastPulledBytes;
    private transient long closureBytes = -1;
    private transient long lastDriverBytesSent;
    private transient long lastDriverBytesReceived;
    private transient long lastPeerBytes;

    BarrierStages(JavaSparkContext sc, RoundWork<R> work, SyncStrategy sync, Supplier<RunBundle<R>> bundles) {
        this.sc = sc;
        this.work = work;
        this.bundles = bundles;
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

    /**
     * Whether an owner's sharded step reads and writes only its own slice, so the owners of one executor may keep one
     * parameter vector (the others write their slices meanwhile): true when the model has no regulariser or splits
     * its value ({@link Model#regularizerChunk}: the parts are computed before the reduce-scatter). A regulariser
     * whose value is read whole (partition 0 reports it) would see the other owners' slices half stepped.
     */
    static boolean stepsSliceAlone(Model<?> model) {
        return !model.hasRegularizer() || model.regularizerChunk() > 0;
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
     * Runs rounds {@code state.nextRound()} … {@code + rounds − 1} in one barrier stage and returns one report per
     * round (statistics and the round counter are the caller's). The stage's final slices stay on the executors
     * ({@link StateBlocks}); the state's vectors are updated only by {@link #pull}. With {@code sliceDirectory} the
     * owners also write their slices there ({@link SliceFiles}); their hashes are {@link #lastSliceSha256s}.
     */
    List<RoundReport> run(JavaRDD<Shard<R>> shards, TrainingState state, int rounds, String sliceDirectory) {
        int parts = shards.getNumPartitions();
        checkSlots(parts);
        if (residentOwner == state && residentParts != parts) {
            pull(shards, state);
            forgetResident();
        }
        if (keptFor(state) && !stateBlocks.present(residentRound, parts)) {
            recover(shards, state);
        }
        boolean fromExecutors = keptFor(state);
        try {
            return launch(shards, state, rounds, sliceDirectory, fromExecutors);
        } catch (Exception e) {
            if (!fromExecutors || stateBlocks.present(residentRound, parts)) {
                throw e;
            }
            // an executor holding kept slices was lost while the stage ran
            recover(shards, state);
            return launch(shards, state, rounds, sliceDirectory, keptFor(state));
        }
    }

    /** Whether the slices of {@code state}'s last completed round are kept on the executors. */
    private boolean keptFor(TrainingState state) {
        return residentOwner == state && residentRound == state.nextRound();
    }

    private List<RoundReport> launch(JavaRDD<Shard<R>> shards, TrainingState state, int rounds,
                                     String sliceDirectory, boolean fromExecutors) {
        int parts = shards.getNumPartitions();
        int first = state.nextRound();
        long start = System.nanoTime();
        long nonce = ThreadLocalRandom.current().nextLong();
        float[] params = state.params();
        float[] optimizerState = state.optimizerState();
        StageInput input = fromExecutors
                ? StageInput.fromExecutors(first, rounds, nonce, stateBlocks, params.length, optimizerState.length,
                        state.statistics(), sliceDirectory)
                : StageInput.fromDriver(first, rounds, nonce, stateBlocks, params, optimizerState,
                        state.statistics(), sliceDirectory);
        if (!fromExecutors) {
            vectorsRound = first;
            vectorsStatistics = state.statistics();
        }
        List<StageOutput> outputs = execute(shards, input, sliceDirectory != null);
        if (residentOwner == state && residentRound != first + rounds) {
            stateBlocks.remove(residentRound, residentParts);
        }
        residentOwner = state;
        residentRound = first + rounds;
        residentParts = parts;

        long sent = DriverBytes.serialized(fromExecutors ? input
                : StageInput.fromExecutors(first, rounds, nonce, stateBlocks, params.length, optimizerState.length,
                        state.statistics(), sliceDirectory))
                + (fromExecutors ? 0 : 4L * (params.length + optimizerState.length)) + closureBytes();
        long received = DriverBytes.serialized(outputs);
        long peer = 0;
        List<RoundReport> reports = null;
        lastSliceSha256s = new ArrayList<>();
        for (StageOutput out : outputs) {
            sent += out.driverBytesReceived();
            received += out.driverBytesSent();
            peer += out.peerBytesFetched();
            lastSliceSha256s.add(out.sliceSha256());
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

    /** One barrier stage; the outputs in partition order. */
    private List<StageOutput> execute(JavaRDD<Shard<R>> shards, StageInput input, boolean writesSlices) {
        int parts = shards.getNumPartitions();
        Broadcast<StageInput> broadcast = sc.broadcast(input);
        RunBundle<R> bundle = bundles.get();
        SerializableConfiguration hadoopConf = writesSlices ? new SerializableConfiguration(sc.hadoopConfiguration())
                : null;
        final BarrierStages<R> self = this;
        @SuppressWarnings("unchecked")
        Function1<scala.collection.Iterator<Shard<R>>, scala.collection.Iterator<StageOutput>> task =
                (Function1<scala.collection.Iterator<Shard<R>>, scala.collection.Iterator<StageOutput>> & Serializable)
                        it -> JavaConverters.asScalaIterator(self.runTask(JavaConverters.asJavaIterator(it),
                                broadcast.value(), bundle.value(), hadoopConf));
        ClassTag<StageOutput> tag = ClassTag$.MODULE$.apply(StageOutput.class);
        // Spark retries a failed barrier stage only when it is a shuffle-map stage (a result stage may have handed
        // results out already): the task results therefore cross one small shuffle before reaching the driver.
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
        return outputs;
    }

    /**
     * Makes the state's vectors those of its last completed round, reading the slices the last stage kept on the
     * executors (a no-op when they already are).
     */
    void pull(JavaRDD<Shard<R>> shards, TrainingState state) {
        if (residentOwner != state || vectorsRound == residentRound) {
            return;
        }
        if (!stateBlocks.present(residentRound, residentParts)) {
            recover(shards, state);
            if (residentOwner != state) {
                return;
            }
        }
        float[] params = state.params();
        float[] optimizerState = state.optimizerState();
        Slices slices = new Slices(params.length, residentParts);
        StateLayout layout = stateLayout(optimizerState.length, params.length, residentParts);
        for (int p = 0; p < residentParts; p++) {
            float[] own = stateBlocks.readParams(residentRound, p, slices.size(p));
            System.arraycopy(own, 0, params, slices.lo(p), own.length);
            layout.insert(optimizerState, stateBlocks.readState(residentRound, p, layout.sliceLength(p)), p);
        }
        lastPulledBytes = 4L * (params.length + optimizerState.length);
        vectorsRound = residentRound;
        vectorsStatistics = state.statistics();
    }

    /** Pulls the state and frees the slices kept on the executors (the run is over). */
    void release(JavaRDD<Shard<R>> shards, TrainingState state) {
        if (residentOwner == state) {
            pull(shards, state);
            stateBlocks.remove(residentRound, residentParts);
            forgetResident();
        }
    }

    private void forgetResident() {
        residentOwner = null;
        residentRound = -1;
    }

    /**
     * Kept slices are gone (an executor was lost): replays the rounds since the driver's vectors (the last state it
     * pulled or sent) in one stage, deterministically, so the same slices are kept again.
     */
    private void recover(JavaRDD<Shard<R>> shards, TrainingState state) {
        int target = residentRound;
        int replay = target - vectorsRound;
        LOG.warn("slices kept on the executors after round {} are gone; replaying rounds {}..{} from the driver's "
                + "state", target, vectorsRound, target - 1);
        forgetResident();
        if (replay > 0) {
            TrainingState from = new TrainingState(state.params(), state.optimizerState(), vectorsRound,
                    vectorsStatistics, Map.of());
            launch(shards, from, replay, null, false);
            residentOwner = state;
        }
    }

    /** The hashes of the checkpoint slices the last stage's owners wrote, in partition order. */
    List<String> lastSliceSha256s() {
        return lastSliceSha256s;
    }

    /** The parameters' and optimizer state's cut among {@code parts} owners. */
    StateLayout layout(TrainingState state, int parts) {
        return stateLayout(state.optimizerState().length, state.params().length, parts);
    }

    /** Bytes the driver read the last time it pulled the state. */
    long lastPulledBytes() {
        return lastPulledBytes;
    }

    private long closureBytes() {
        if (closureBytes < 0) {
            closureBytes = DriverBytes.javaSerialized(this);
        }
        return closureBytes;
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

    private Iterator<StageOutput> runTask(Iterator<Shard<R>> it, StageInput in, RoundWork<R> work,
                                          SerializableConfiguration hadoopConf) {
        Shard<R> shard = it.next();
        if (it.hasNext()) {
            throw new IllegalStateException("partition holds more than one shard");
        }
        BarrierTaskContext task = BarrierTaskContext.get();
        PeerExchange exchange = PeerExchange.open(transport, task, in.nonce());
        boolean finished = false;
        try {
            StageOutput out = new TaskRounds(work, task, exchange, shard, in, hadoopConf).run();
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
        private final SerializableConfiguration hadoopConf;
        private final int partition;
        private final int parts;
        private final StatisticSet statistics;
        private final SerializerInstance serializer = SparkEnv.get().serializer().newInstance();
        private final float[] params;
        private float[] optimizerState;
        private final Slices slices;
        private final StateLayout layout;
        private Object[] carried;
        /** Partition 0: every owner's parts of this round's regulariser value, in chunk order (null: not split). */
        private double[] regularizerPartsOfAll;
        /** The last round's gradient, once no peer reads it any more (sharded global-batch): the next one's buffer. */
        private float[] gradientBuffer;
        /**
         * Whether {@link #params} is the one copy of this executor's tasks ({@link PeerExchange#sharedVector}): each
         * owner steps its slice in place and a barrier replaces the all-gather.
         */
        private final boolean sharedParams;

        TaskRounds(RoundWork<R> work, BarrierTaskContext task, PeerExchange exchange, Shard<R> shard,
                   StageInput in, SerializableConfiguration hadoopConf) {
            this.work = work;
            this.task = task;
            this.exchange = exchange;
            this.shard = shard;
            this.in = in;
            this.hadoopConf = hadoopConf;
            this.partition = task.partitionId();
            this.parts = task.getTaskInfos().length;
            this.statistics = work.statistics();
            this.slices = new Slices(in.numParams(), parts);
            this.layout = stateLayout(in.stateLength(), in.numParams(), parts);
            float[] shared = shardedState && stepsSliceAlone(work.model())
                    ? exchange.sharedVector("params", in.numParams()) : null;
            this.sharedParams = shared != null;
            if (sharedParams) {
                // each owner writes its slice; the others read it only after the barrier (and after every round's)
                int lo = slices.lo(partition);
                float[] own = in.resident() ? in.stateBlocks().readParams(in.firstRound(), partition,
                        slices.size(partition)) : in.params();
                System.arraycopy(own, in.resident() ? 0 : lo, shared, lo, slices.size(partition));
                this.params = shared;
                this.optimizerState = in.resident() ? keptState() : layout.extract(in.optimizerState(), partition);
                exchange.barrier();
            } else if (in.resident()) {
                this.params = keptParams();
                this.optimizerState = keptState();
            } else {
                // the broadcast value is shared by the executor's tasks: work on copies
                this.params = in.params().clone();
                this.optimizerState = shardedState ? layout.extract(in.optimizerState(), partition)
                        : in.optimizerState().clone();
            }
            this.carried = in.statistics();
        }

        /** Every owner's parameter slice, kept by the previous stage. */
        private float[] keptParams() {
            float[] all = new float[in.numParams()];
            for (int q = 0; q < parts; q++) {
                float[] own = in.stateBlocks().readParams(in.firstRound(), q, slices.size(q));
                System.arraycopy(own, 0, all, slices.lo(q), own.length);
            }
            return all;
        }

        /** This owner's optimizer-state slice (sharded) or every owner's, put together (replicated). */
        private float[] keptState() {
            StateBlocks kept = in.stateBlocks();
            if (shardedState) {
                return kept.readState(in.firstRound(), partition, layout.sliceLength(partition));
            }
            float[] all = new float[in.stateLength()];
            for (int q = 0; q < parts; q++) {
                layout.insert(all, kept.readState(in.firstRound(), q, layout.sliceLength(q)), q);
            }
            return all;
        }

        StageOutput run() {
            List<RoundReport> reports = new ArrayList<>();
            for (int k = 0; k < in.rounds(); k++) {
                RoundReport report = round(in.firstRound() + k);
                if (partition == 0) {
                    reports.add(report);
                }
            }
            float[] paramSlice = Arrays.copyOfRange(params, slices.lo(partition), slices.hi(partition));
            float[] stateSlice = shardedState ? optimizerState : layout.extract(optimizerState, partition);
            in.stateBlocks().store(in.firstRound() + in.rounds(), partition, paramSlice, stateSlice);
            String sha = in.sliceDirectory() == null ? null
                    : SliceFiles.write(in.sliceDirectory(), hadoopConf.value(), partition, paramSlice, stateSlice);
            exchange.close();
            return new StageOutput(partition, partition == 0 ? reports : null, sha, exchange.driverBytesSent(),
                    exchange.driverBytesReceived(), exchange.peerBytesFetched(), exchange.leftOver());
        }

        private RoundReport round(int round) {
            long t0 = System.nanoTime();
            Object[] stale = statistics.carriedSnapshot(carried);
            Object[] twoPass = statistics.has(Freshness.TWO_PASS) ? collectiveStatistics(round, stale) : null;
            long t1 = System.nanoTime();

            EngineStepContext ctx = new EngineStepContext(work.seed(), shard.partition(), statistics, twoPass, stale,
                    statistics.zeros());
            long[] inStepNanos = new long[1];
            if (statistics.has(Freshness.IN_STEP)) {
                ctx.withInStepExchange(contributions -> {
                    long s0 = System.nanoTime();
                    Object[] merged = allReduceStatistics(round, contributions);
                    inStepNanos[0] = System.nanoTime() - s0;
                    return merged;
                });
            }
            float[] shippedState = sync.shipsOptimizerState(work) ? optimizerState : null;
            RoundRecord local = sync.computePartition(work,
                    RoundInput.owned(round, params, shippedState, stale).withGradientBuffer(gradientBuffer), shard,
                    ctx);
            gradientBuffer = null;
            ctx.completeInStepExchange();
            ExecutorTrainingMetrics.get().partitionComputed(local.examples(), local.computeNanosMax());
            long t2 = System.nanoTime();
            double[] ownParts = shardedState ? regularizerParts() : null;
            long t2b = System.nanoTime();
            // the round's scalars travel with the first reduce-scatter: one wait for the peers, not two
            String scalars = encode(new Object[] {local.withVectors(null, null), ownParts});
            long t3 = System.nanoTime();

            Map<String, Double> timings = new LinkedHashMap<>();
            double loss;
            RoundRecord merged;
            long t4;
            if (sync.mode() == SyncMode.GLOBAL_BATCH) {
                float[] gradient = local.vector();
                String[] payloads = exchange.reduceWithPayload(gradient, scalars);
                maybeFail(round, "reduce-scatter");
                long t4a = System.nanoTime();
                merged = mergeScalars(payloads, ownParts);
                t4 = System.nanoTime();
                timings.put("reduceScatter", (t4a - t3) / 1e6);
                timings.put("scalars", (t3 - t2b + t4 - t4a) / 1e6);
                if (shardedState) {
                    loss = shardedStep(gradient, merged, round);
                    long t5 = System.nanoTime();
                    if (sharedParams) {
                        // every owner has stepped its slice of the one copy
                        exchange.barrier();
                    } else {
                        // the own slice of params changes next in the next round's step, after a collective
                        exchange.gatherStable(params);
                    }
                    // every peer has published this all-gather, so has finished reading the gradient: reuse it
                    gradientBuffer = gradient;
                    maybeFail(round, "all-gather");
                    timings.put("update", (t5 - t4 + t2b - t2) / 1e6);
                    timings.put("allGather", (System.nanoTime() - t5) / 1e6);
                } else {
                    exchange.gatherInto(gradient);
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
                // the local steps ran in this task's own replica: the record's vectors are params and the state
                float[] summed = local.vector();
                float[] summedState = local.state();
                String[] payloads = exchange.reduceWithPayload(summed, scalars);
                if (summedState != null) {
                    exchange.reduceInPlace(summedState);
                }
                maybeFail(round, "reduce-scatter");
                long t4a = System.nanoTime();
                merged = mergeScalars(payloads, ownParts);
                t4 = System.nanoTime();
                timings.put("scalars", (t3 - t2b + t4 - t4a) / 1e6);
                // Averaging is element-wise: each owner averages its slices in place, then they are all-gathered.
                Slices stateSlices = summedState == null ? null : new Slices(summedState.length, parts);
                loss = ((ParameterAveragingSync) sync).applySlice(work, merged, round, summed, slices.lo(partition),
                        slices.hi(partition), summedState, stateSlices == null ? 0 : stateSlices.lo(partition),
                        stateSlices == null ? 0 : stateSlices.hi(partition));
                long t5 = System.nanoTime();
                if (summed != params) {
                    System.arraycopy(summed, slices.lo(partition), params, slices.lo(partition), slices.size(partition));
                }
                exchange.gatherInto(params);
                if (summedState != null) {
                    if (summedState != optimizerState) {
                        System.arraycopy(summedState, stateSlices.lo(partition), optimizerState,
                                stateSlices.lo(partition), stateSlices.size(partition));
                    }
                    exchange.gatherInto(optimizerState);
                }
                maybeFail(round, "all-gather");
                timings.put("reduceScatter", (t4a - t3) / 1e6);
                timings.put("update", (t5 - t4) / 1e6);
                timings.put("allGather", (System.nanoTime() - t5) / 1e6);
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
            // the mean over partitions: compute − computeMean is what the round waits for its slowest partition
            timings.put("computeMean", merged.computeNanosSum() / (1e6 * merged.partitions()));
            if (statistics.has(Freshness.IN_STEP)) {
                // part of compute: the collective waits for the slowest partition's forward pass
                timings.put("inStepCollective", inStepNanos[0] / 1e6);
            }
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
            return allReduceStatistics(round, ctx.locals());
        }

        /**
         * The statistics collective: every partition's values (null entries for statistics it does not send) are
         * all-gathered and merged in partition order, so every task holds the same merged value.
         */
        private Object[] allReduceStatistics(int round, Object[] values) {
            maybeFail(round, "statistics");
            Object[] merged = null;
            for (String payload : exchange.allGather(encode(values))) {
                merged = statistics.merge(merged, (Object[]) decode(payload));
            }
            return merged;
        }

        /**
         * Weight, loss, examples, statistics and timing of every partition (the payloads of
         * {@link PeerExchange#reduceWithPayload}, in partition order), folded in partition order; with
         * {@code ownParts}, also every owner's parts of the regulariser's value, which partition 0 keeps in chunk
         * order ({@link #regularizerPartsOfAll}).
         */
        private RoundRecord mergeScalars(String[] payloads, double[] ownParts) {
            RoundRecord merged = null;
            List<double[]> parts = new ArrayList<>();
            for (String payload : payloads) {
                Object[] both = (Object[]) decode(payload);
                RoundRecord r = (RoundRecord) both[0];
                merged = merged == null ? r : merged.merge(r, statistics);
                if (both[1] != null) {
                    parts.add((double[]) both[1]);
                }
            }
            regularizerPartsOfAll = ownParts == null ? null
                    : parts.stream().flatMapToDouble(Arrays::stream).toArray();
            return merged;
        }

        /**
         * This owner's parts of the regulariser's value ({@link Model#regularizerChunk}: the chunks that start in its
         * slice), from the parameters before the round's step; null when the model does not split the value.
         */
        private double[] regularizerParts() {
            Model<?> model = work.model();
            return model.regularizerChunk() <= 0 ? null
                    : model.regularizerParts(params, slices.lo(partition), slices.hi(partition));
        }

        /**
         * {@link io.concord.engine.sync.GlobalBatchSync#apply} restricted to this owner's slice of {@code grad} (the
         * reduced sum, in place): scale, regularise, clip with the global norm (a scalar all-reduce), step the slice
         * of parameters and optimizer state in place.
         */
        private double shardedStep(float[] grad, RoundRecord merged, int round) {
            if (!(merged.weight() > 0.0)) {
                throw new IllegalStateException("round " + round + " saw no examples (total weight "
                        + merged.weight() + ")");
            }
            Model<?> model = work.model();
            int lo = slices.lo(partition);
            int hi = slices.hi(partition);
            double scale = model.reduction() == Model.Reduction.MEAN ? 1.0 / merged.weight() : 1.0;
            if (scale != 1.0) {
                float s = (float) scale;
                for (int i = lo; i < hi; i++) {
                    grad[i] *= s;
                }
            }
            // The regulariser's gradient is element-wise in the parameters; entries outside the slice are ignored.
            // Only partition 0's loss is reported, so only it needs the regulariser's value: from every owner's
            // parts when the model splits it, else computed here over all of θ.
            boolean split = regularizerPartsOfAll != null;
            boolean wholeValue = partition == 0 && !split;
            // a uniform L2 gradient can be added in the optimizer's pass over the slice instead (bit-identical)
            float l2 = wholeValue ? Float.NaN : OptimizerSteps.fusedL2(work);
            double regularizer = Float.isNaN(l2) ? model.regularizeSlice(params, grad, lo, hi, wholeValue) : 0.0;
            if (split && partition == 0) {
                regularizer = model.regularizerValue(regularizerPartsOfAll);
            }
            double loss = merged.lossSum() * scale + (partition == 0 ? regularizer : 0.0);
            if (!Float.isNaN(l2)) {
                work.optimizer().stepSliceWithL2(params, grad, lo, hi - lo, optimizerState, round + 1L, l2);
                return loss;
            }
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
            work.optimizer().stepSlice(params, grad, lo, hi - lo, optimizerState, round + 1L);
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
            exchange.reduceInPlace(sum);
            exchange.gatherInto(sum);
            OptimizerSteps.foldCurvature(work, sum, total, optimizerState, t);
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
