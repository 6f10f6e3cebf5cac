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
import io.concord.engine.checkpoint.FloatArrays;
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
import java.util.Optional;

/**
 * The part every training job shares: shard the records, resume from the newest checkpoint if asked, run the engine
 * with checkpoints and the metrics log in the staging directory, and write the final parameters under
 * {@code model/}.
 */
public final class TrainingRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

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
        JavaRDD<Shard<R>> shards = Sharding.shard(records, partitions, seed,
                StorageLevel.fromString(train.storageLevel()));
        List<Integer> sizes = Sharding.sizes(shards);
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
        return train(ctx, model, optimizer, train, seed, statistics, shards, listener, model);
    }

    /** As above, with the curvature source a curvature optimizer (Sophia) needs when it is not the model. */
    public static <R> Outcome<R> train(JobContext ctx, Model<R> model, Optimizer optimizer, EngineConfig train,
                                       long seed, StatisticSet statistics, JavaRDD<Shard<R>> shards,
                                       RoundListener listener, Object curvature) {
        RunDirectory dir = ctx.runDir();
        TrainingEngine<R> engine = new TrainingEngine<>(ctx.jsc(), model, optimizer, train, statistics, seed,
                ctx.metrics(), curvature);
        CheckpointStore checkpoints = new CheckpointStore(dir.checkpointPath(), ctx.hadoopConf(), statistics, seed,
                train.checkpointEvery(), train.keepCheckpoints());
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
                log = MetricsLogReader.read(dir);
            } else {
                ctx.console().println("--resume: no checkpoint under " + checkpoints.directory()
                        + "; starting from round 0");
            }
        }
        final MetricsLog metricsLog = log;
        RoundListener logging = new RoundListener() {
            @Override
            public Decision afterRound(TrainingState s, RoundSummary summary) {
                Decision d = listener.afterRound(s, summary);
                metricsLog.add(summary);
                return d;
            }

            @Override
            public boolean needsStateAfter(int completedRounds) {
                return listener.needsStateAfter(completedRounds);
            }
        };
        int ran = engine.train(shards, state, logging, (s, summary, last) -> {
            checkpoints.roundCompleted(s, summary, last);
            if (last || (train.checkpointEvery() > 0 && s.nextRound() % train.checkpointEvery() == 0)) {
                metricsLog.writeTo(dir);
            }
        });
        writeParams(dir, "model/params.bin", state.params());
        metricsLog.writeTo(dir);
        ReportCharts.write(dir, metricsLog.rounds());
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
