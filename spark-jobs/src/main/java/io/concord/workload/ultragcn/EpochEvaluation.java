package io.concord.workload.ultragcn;

import io.concord.workload.recsys.RankingEvalSection;
import io.concord.engine.RoundListener;
import io.concord.engine.RoundSummary;
import io.concord.engine.TrainingState;
import io.concord.job.EvaluationListener;
import io.concord.run.RunDirectory;

import java.io.IOException;
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
 * measurements: {@code eval.csv} in the run directory, one line per evaluation.
 */
final class EpochEvaluation implements RoundListener {

    private final EvaluationListener delegate;
    private final RankingEvalSection eval;
    private final int roundsPerEpoch;
    private final int totalRounds;
    private final PrintStream console;
    private final List<String> rows = new ArrayList<>();
    private double trainSeconds;
    private double epochSeconds;
    private double lastEpochSeconds;
    private double trainCpuSeconds;
    private long cpuMark = processCpuNanos();

    private final double maxTrainSeconds;

    /** @param maxTrainSeconds stop at the first epoch end after this much training time (0 = no limit) */
    EpochEvaluation(EvaluationListener delegate, RankingEvalSection eval, int roundsPerEpoch, int totalRounds,
                    double maxTrainSeconds, PrintStream console) {
        this.delegate = delegate;
        this.maxTrainSeconds = maxTrainSeconds;
        this.eval = eval;
        this.roundsPerEpoch = roundsPerEpoch;
        this.totalRounds = totalRounds;
        this.console = console;
    }

    /** Only epoch ends (evaluation, time limit) and the last round read the state. */
    @Override
    public boolean needsStateAfter(int completedRounds) {
        return completedRounds % roundsPerEpoch == 0 || completedRounds == totalRounds;
    }

    @Override
    public Decision afterRound(TrainingState state, RoundSummary summary) {
        double roundSeconds = summary.timingsMs().getOrDefault("round", 0.0) / 1e3;
        trainSeconds += roundSeconds;
        epochSeconds += roundSeconds;
        int completed = summary.round() + 1;
        boolean last = completed == totalRounds;
        if (completed % roundsPerEpoch != 0 && !last) {
            return Decision.CONTINUE;
        }
        int epoch = epochOf(summary.round());
        lastEpochSeconds = epochSeconds;
        epochSeconds = 0;
        boolean outOfTime = maxTrainSeconds > 0 && trainSeconds >= maxTrainSeconds;
        if (!eval.due(epoch) && !last && !outOfTime) {
            return Decision.CONTINUE;
        }
        long cpuNow = processCpuNanos();
        trainCpuSeconds += (cpuNow - cpuMark) / 1e9;
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
        if (outOfTime && decision == Decision.CONTINUE) {
            console.printf("time limit: %.1f s of training reached after epoch %d%n", trainSeconds, epoch);
            return Decision.STOP;
        }
        return decision;
    }

    int epochOf(int round) {
        return (round + 1 + roundsPerEpoch - 1) / roundsPerEpoch - 1;
    }

    /** Seconds of training (rounds only) so far in this process. */
    double trainSeconds() {
        return trainSeconds;
    }

    EvaluationListener delegate() {
        return delegate;
    }

    void write(RunDirectory dir) {
        try (OutputStream out = dir.create("eval.csv")) {
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
