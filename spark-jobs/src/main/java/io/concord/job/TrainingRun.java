package io.concord.job;

import io.concord.run.MetricsLogReader;
import io.concord.core.model.Model;
import io.concord.core.optim.Optimizer;
import io.concord.data.DataException;
import io.concord.engine.EngineConfig;
import io.concord.engine.RoundListener;
import io.concord.engine.RoundSummary;
import io.concord.engine.Shard;
import io.concord.engine.Sharding;
import io.concord.engine.StatisticSet;
import io.concord.engine.TrainingEngine;
import io.concord.engine.TrainingState;
import io.concord.engine.checkpoint.CheckpointStore;
import io.concord.engine.checkpoint.Checkpointer;
import io.concord.engine.checkpoint.FloatArrays;
import io.concord.engine.metrics.RunMetrics;
import io.concord.run.MetricsLog;
import io.concord.run.ReportCharts;
import io.concord.run.RunDirectory;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The part every training job shares: shard the records, resume from the newest checkpoint if asked, run the engine
 * with checkpoints and the metrics log in the staging directory, and write the final parameters under
 * {@code model/}.
 */
public final class TrainingRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    /** Between checkpoints, rounds that bring metrics (evaluations) persist the history at most this often. */
    private static final long HISTORY_WRITE_INTERVAL_NANOS = 30_000_000_000L;

    private TrainingRun() {
    }

    /** The outcome: final state, per-round log, rounds run now, and the shards (still cached, for evaluation). */
    public record Outcome<R>(TrainingState state, MetricsLog log, int roundsRun, JavaRDD<Shard<R>> shards) {

        public double finalLoss() {
            List<RoundSummary> rounds = log.rounds();
            return rounds.isEmpty() ? Double.NaN : rounds.get(rounds.size() - 1).loss();
        }
    }

    public static <R> JavaRDD<Shard<R>> shard(JobContext ctx, JavaRDD<R> records, EngineConfig train, long seed,
                                              String source) {
        int partitions = train.partitions() > 0 ? train.partitions() : ctx.jsc().defaultParallelism();
        JavaRDD<Shard<R>> shards;
        List<Integer> sizes;
        try (RunMetrics.Phase sharding = ctx.metrics().phase("sharding " + source + " over " + partitions
                + " partitions")) {
            shards = Sharding.shard(records, partitions, seed, StorageLevel.fromString(train.storageLevel()));
            sizes = Sharding.sizes(shards);
        }
        long total = sizes.stream().mapToLong(Integer::longValue).sum();
        if (total == 0) {
            throw new DataException(source, "no training examples (the dataset is empty)");
        }
        LOG.info("{} examples in {} shards of {}..{}", total, sizes.size(),
                sizes.stream().mapToInt(Integer::intValue).min().orElse(0),
                sizes.stream().mapToInt(Integer::intValue).max().orElse(0));
        return shards;
    }

    public static <R> Outcome<R> train(JobContext ctx, Model<R> model, Optimizer optimizer, EngineConfig train,
                                       long seed, StatisticSet statistics, JavaRDD<Shard<R>> shards,
                                       RoundListener listener) {
        return train(ctx, model, optimizer, train, seed, statistics, shards, listener, null);
    }

    /**
     * As above, with a companion providing a curvature optimizer's (Sophia's) inputs for a model that does not
     * declare them ({@code TrainingEngine}'s {@code curvature}); null for the model's own.
     */
    public static <R> Outcome<R> train(JobContext ctx, Model<R> model, Optimizer optimizer, EngineConfig train,
                                       long seed, StatisticSet statistics, JavaRDD<Shard<R>> shards,
                                       RoundListener listener, Object curvature) {
        if (GracefulStop.requested()) {
            throw new GracefulStop.StopRequested(GracefulStop.requestedBy(), 0, null);
        }
        RunDirectory dir = ctx.runDir();
        TrainingEngine<R> engine = new TrainingEngine<>(ctx.jsc(), model, optimizer, train, statistics, seed,
                ctx.metrics(), curvature);
        CheckpointStore checkpoints = new CheckpointStore(dir.checkpointPath(), ctx.hadoopConf(), statistics, seed,
                train.checkpointEvery(), train.keepCheckpoints(), dir.checkpointConfigHash());
        DerivedValues derived = DerivedValues.of(train, shards);
        derived.writeTo(dir);
        ctx.metrics().roundsPerEpoch(derived.roundsPerEpoch());
        TrainingState state = engine.initialState();
        MetricsLog log = new MetricsLog();
        if (ctx.resume()) {
            Optional<Path> latest = checkpoints.latest();
            if (latest.isPresent()) {
                state = checkpoints.load(latest.get());
                if (state.params().length != model.numParams()) {
                    throw new IllegalStateException(latest.get() + " holds " + state.params().length
                            + " parameters but the model has " + model.numParams());
                }
                ctx.console().println("resuming from " + latest.get() + " at round " + state.nextRound());
                // rows after the checkpoint belong to rounds that are run again
                log = MetricsLogReader.read(dir).before(state.nextRound());
                listener.resumed(state, log.rounds());
                log.replaceSegments(dir);
            } else {
                ctx.console().println("--resume: no checkpoint under " + checkpoints.directory()
                        + "; starting from round 0");
            }
        }
        final MetricsLog metricsLog = log;
        final int totalRounds = train.rounds();
        final boolean[] stoppedBySignal = {false};
        RoundListener logging = new RoundListener() {
            @Override
            public Decision afterRound(TrainingState s, RoundSummary summary) {
                Decision d = listener.afterRound(s, summary);
                metricsLog.add(summary);
                if (d == Decision.CONTINUE && s.nextRound() < totalRounds && GracefulStop.requested()) {
                    stoppedBySignal[0] = true;
                    return Decision.STOP;
                }
                return d;
            }

            @Override
            public boolean needsStateAfter(int completedRounds) {
                return listener.needsStateAfter(completedRounds);
            }

            @Override
            public void resumed(TrainingState s, List<RoundSummary> history) {
                listener.resumed(s, history);
            }
        };
        ctx.metrics().trainingStarting(state.nextRound(), totalRounds);
        final long[] lastWrite = {System.nanoTime()};
        final long[] checkpointCost = {0, 0};
        int ran = engine.train(shards, state, logging, new Checkpointer() {
            @Override
            public void roundCompleted(TrainingState s, RoundSummary summary, boolean last) {
                // the history first: it then always covers the newest checkpoint, whenever the process dies
                boolean checkpointDue = train.checkpointEvery() > 0 && s.nextRound() % train.checkpointEvery() == 0;
                boolean freshMetrics = !summary.metrics().isEmpty()
                        && System.nanoTime() - lastWrite[0] > HISTORY_WRITE_INTERVAL_NANOS;
                long t0 = System.nanoTime();
                if (last || checkpointDue || freshMetrics) {
                    metricsLog.appendSegment(dir);
                    lastWrite[0] = System.nanoTime();
                }
                checkpoints.roundCompleted(s, summary, last);
                if (last || checkpointDue) {
                    checkpointCost[0]++;
                    checkpointCost[1] += System.nanoTime() - t0;
                }
            }

            @Override
            public boolean saves(int completedRounds, boolean last) {
                return checkpoints.saves(completedRounds, last);
            }

            @Override
            public CheckpointStore sliceStore() {
                return checkpoints;
            }
        });
        ctx.metrics().trainingFinished();
        double roundSeconds = metricsLog.rounds().stream().skip(Math.max(0, metricsLog.rounds().size() - ran))
                .mapToDouble(r -> r.timingsMs().getOrDefault("round", 0.0)).sum() / 1e3;
        ctx.console().printf(Locale.ROOT, "checkpoints: %d written in %.2f s with the metrics history (%.2f%% of"
                        + " the %.1f s of rounds run)%n", checkpointCost[0], checkpointCost[1] / 1e9,
                roundSeconds > 0 ? 100.0 * checkpointCost[1] / 1e9 / roundSeconds : 0.0, roundSeconds);
        metricsLog.writeTo(dir);
        if (stoppedBySignal[0]) {
            throw new GracefulStop.StopRequested(GracefulStop.requestedBy(), state.nextRound(),
                    checkpoints.latest().map(Path::toString).orElse(null));
        }
        writeParams(dir, "model/params.bin", state.params());
        MetricsLog.deleteSegments(dir);
        ReportCharts.write(dir, metricsLog.rounds(), derived.roundsPerEpoch(), EvaluationListener.bestRound(state));
        return new Outcome<>(state, metricsLog, ran, shards);
    }

    public static void writeParams(RunDirectory dir, String relative, float[] params) {
        try (OutputStream out = dir.create(relative)) {
            FloatArrays.write(out, params);
        } catch (IOException e) {
            throw new RunDirectory.OutputException("writing " + relative + " failed: " + e.getMessage(), e);
        }
    }
}
