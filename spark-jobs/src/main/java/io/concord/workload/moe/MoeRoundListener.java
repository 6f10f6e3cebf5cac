package io.concord.workload.moe;

import io.concord.core.moe.BalanceMode;
import io.concord.core.moe.ExpertCounts;
import io.concord.core.moe.MoeConfig;
import io.concord.core.moe.RoutingTally;
import io.concord.core.moe.RoutingTallyStatistic;
import io.concord.engine.RoundListener;
import io.concord.engine.RoundSummary;
import io.concord.engine.StatisticSet;
import io.concord.engine.TrainingState;

/**
 * After every round: (1) checks that the merged expert-count statistic covers exactly the tokens the loss pass
 * weighed ({@link ExpertCounts#checkCovers}) — for two-pass balancing the counts come from the statistics pass and
 * the weight from the round action, so a partition counted twice or missed in either fails the run instead of
 * silently skewing f; (2) adds the round's training routing metrics ({@code train.*}, see {@link RoutingMetrics#training})
 * from the merged report-only routing tally; (3) drops that tally from the training state and the round's
 * statistics: it is never read by the loss, so a resume does not need it, and its content lives on as the
 * {@code train.*} metrics — checkpoints keep only what a resume needs (the expert counts) and {@code metrics.jsonl}
 * only plain values.
 */
final class MoeRoundListener implements RoundListener {

    private final MoeConfig config;
    private final int tallyIndex;

    MoeRoundListener(MoeConfig config, StatisticSet statistics) {
        this.config = config;
        this.tallyIndex = statistics.indexOf(RoutingTallyStatistic.NAME);
        if (tallyIndex < 0) {
            throw new IllegalArgumentException("statistic '" + RoutingTallyStatistic.NAME + "' is not registered");
        }
    }

    /** Reads only the round's statistics, never the parameters. */
    @Override
    public boolean needsStateAfter(int completedRounds) {
        return false;
    }

    @Override
    public Decision afterRound(TrainingState state, RoundSummary summary) {
        RoutingTally tally = (RoutingTally) summary.statistics().remove(RoutingTallyStatistic.NAME);
        if (state.statistics() != null) {
            state.statistics()[tallyIndex] = null;
        }
        if (tally == null) {
            throw new IllegalStateException("round " + summary.round() + " has no '" + RoutingTallyStatistic.NAME
                    + "' statistic");
        }
        if (config.balance() != BalanceMode.MICRO) {
            long[] counts = (long[]) summary.statistics().get(ExpertCounts.NAME);
            if (counts == null) {
                throw new IllegalStateException("round " + summary.round() + " has no '" + ExpertCounts.NAME
                        + "' statistic");
            }
            try {
                ExpertCounts.checkCovers(counts, tally.tokens());
            } catch (IllegalStateException e) {
                throw new IllegalStateException("round " + summary.round() + ": " + e.getMessage(), e);
            }
        }
        summary.metrics().putAll(RoutingMetrics.training(tally));
        return Decision.CONTINUE;
    }
}
