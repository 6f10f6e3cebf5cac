package io.concord.workload.ultragcn;

import io.concord.workload.recsys.RankingEvalSection;
import io.concord.engine.RoundListener;
import io.concord.engine.RoundSummary;
import io.concord.engine.TrainingState;
import io.concord.job.EvaluationListener;
import io.concord.run.RunDirectory;

import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the evaluation on an epoch schedule ({@link RankingEvalSection#due}) on top of the engine's
 * {@link EvaluationListener} (best value, best parameters, early stopping, resume-safe bookkeeping), and keeps the
 * evaluation history with the TRAINING time spent so far (round time only, evaluations excluded) for time-to-quality
 * measurements: {@code eval.csv} in the run directory, one line per evaluation, rewritten after each evaluation and
 * kept across a resume (rows before the checkpoint kept, training time continued).
 */
final class EpochEvaluation implements RoundListener {

    static final String EVAL_CSV = "eval.csv";
    private static final String TRAIN_SECONDS = "ultragcn.trainSeconds";
    private static final String TRAIN_CPU_SECONDS = "ultragcn.trainCpuSeconds";
    private static final String EPOCH_SECONDS = "ultragcn.epochSeconds";

    private final EvaluationListener delegate;
    private final RankingEvalSection eval;
    private final int roundsPerEpoch;
    private final int totalRounds;
    private final PrintStream console;
    private final RunDirectory runDir;
    private final List<String> rows = new ArrayList<>();
    private double lastEpochSeconds;
    private long cpuMark = processCpuNanos();

    private final double maxTrainSeconds;

    /**
     * @param maxTrainSeconds stop at the first epoch end after this much training time (0 = no limit)
     * @param runDir          where {@code eval.csv} is kept up to date (null = nowhere)
     */
    EpochEvaluation(EvaluationListener delegate, RankingEvalSection eval, int roundsPerEpoch, int totalRounds,
                    double maxTrainSeconds, PrintStream console, RunDirectory runDir) {
        this.delegate = delegate.quiet();
        this.runDir = runDir;
        this.maxTrainSeconds = maxTrainSeconds;
        this.eval = eval;
        this.roundsPerEpoch = roundsPerEpoch;
        this.totalRounds = totalRounds;
        this.console = console;
    }

    /** Keeps the evaluation rows made before the checkpoint (later ones are made again) and their times. */
    @Override
    public void resumed(TrainingState state, List<RoundSummary> history) {
        delegate.resumed(state, history);
        rows.clear();
        if (runDir == null) {
            return;
        }
        Path file = runDir.staged(EVAL_CSV);
        try {
            if (!runDir.fs().exists(file)) {
                return;
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(runDir.fs().open(file),
                    StandardCharsets.UTF_8))) {
                in.readLine();
                String line;
                while ((line = in.readLine()) != null) {
                    String[] cells = line.split(",", 3);
                    if (cells.length >= 2 && Integer.parseInt(cells[1]) < state.nextRound()) {
                        rows.add(line);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new RunDirectory.OutputException("reading " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** Only epoch ends (evaluation, time limit) and the last round read the state. */
    @Override
    public boolean needsStateAfter(int completedRounds) {
        return completedRounds % roundsPerEpoch == 0 || completedRounds == totalRounds;
    }

    @Override
    public Decision afterRound(TrainingState state, RoundSummary summary) {
        // running times live in the state's bookkeeping, so a resumed run continues them from its checkpoint
        Map<String, Double> book = state.bookkeeping();
        double roundSeconds = summary.timingsMs().getOrDefault("round", 0.0) / 1e3;
        double trainSeconds = book.merge(TRAIN_SECONDS, roundSeconds, Double::sum);
        double epochSeconds = book.merge(EPOCH_SECONDS, roundSeconds, Double::sum);
        int completed = summary.round() + 1;
        boolean last = completed == totalRounds;
        if (completed % roundsPerEpoch != 0 && !last) {
            return Decision.CONTINUE;
        }
        int epoch = epochOf(summary.round());
        lastEpochSeconds = epochSeconds;
        book.put(EPOCH_SECONDS, 0.0);
        boolean outOfTime = maxTrainSeconds > 0 && trainSeconds >= maxTrainSeconds;
        if (!eval.due(epoch) && !last && !outOfTime) {
            return Decision.CONTINUE;
        }
        long cpuNow = processCpuNanos();
        double trainCpuSeconds = book.merge(TRAIN_CPU_SECONDS, (cpuNow - cpuMark) / 1e9, Double::sum);
        long t0 = System.nanoTime();
        Decision decision = delegate.afterRound(state, summary);
        double evalSeconds = (System.nanoTime() - t0) / 1e9;
        cpuMark = processCpuNanos();
        Map<String, Double> m = delegate.lastMetrics();
        String recall = "recall@" + eval.k();
        String ndcg = "ndcg@" + eval.k();
        console.printf("epoch %d: loss %.5g  %s %.5f  %s %.5f  (epoch %.1f s, training so far %.1f s, eval %.1f s)"
                        + "%n", epoch, summary.loss(), recall, m.getOrDefault(recall, Double.NaN), ndcg,
                m.getOrDefault(ndcg, Double.NaN), lastEpochSeconds, trainSeconds, evalSeconds);
        console.flush();
        rows.add(String.format("%d,%d,%.3f,%.3f,%.3f,%.7g,%.6f,%.6f,%.6f", epoch, summary.round(), trainSeconds,
                trainCpuSeconds, evalSeconds, summary.loss(), m.getOrDefault(recall, Double.NaN),
                m.getOrDefault(ndcg, Double.NaN), m.getOrDefault("precision@" + eval.k(), Double.NaN)));
        write();
        if (outOfTime && decision == Decision.CONTINUE) {
            console.printf("time limit: %.1f s of training reached after epoch %d%n", trainSeconds, epoch);
            return Decision.STOP;
        }
        return decision;
    }

    int epochOf(int round) {
        return (round + 1 + roundsPerEpoch - 1) / roundsPerEpoch - 1;
    }

    /** Seconds of training (rounds only) so far, resumed runs included. */
    static double trainSeconds(TrainingState state) {
        return state.bookkeeping().getOrDefault(TRAIN_SECONDS, 0.0);
    }

    EvaluationListener delegate() {
        return delegate;
    }

    /** Rewrites {@code eval.csv} with every row so far (called after each evaluation: the file grows with the run). */
    void write() {
        if (runDir == null) {
            return;
        }
        try (OutputStream out = runDir.create(EVAL_CSV)) {
            StringBuilder sb = new StringBuilder("epoch,round,trainSeconds,trainCpuSeconds,evalSeconds,loss,recall@"
                    + eval.k() + ",ndcg@" + eval.k() + ",precision@" + eval.k() + "\n");
            rows.forEach(r -> sb.append(r).append('\n'));
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RunDirectory.OutputException("writing eval.csv failed: " + e.getMessage(), e);
        }
    }

    /** CPU time of this JVM (the driver, and with a local master the executors too); 0 where unavailable. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0L;
    }
}
