package io.concord.workload.recsys;

import io.concord.config.ConfigException;
import io.concord.core.metric.RankingAccumulator;

import java.util.List;
import java.util.Locale;

/**
 * The {@code eval:} section of the recommendation jobs: full-ranking Recall/NDCG/Precision@k on the test split.
 *
 * @param every     evaluate after every n-th epoch and after the last (ignored with {@code official})
 * @param official  the official UltraGCN schedule instead: after epochs 0, 5, …, 45 (0-based), then after every
 *                  epoch
 * @param k         cut-off of the ranked list
 * @param metric    metric that selects the best epoch and drives early stopping: {@code recall@k}, {@code ndcg@k},
 *                  {@code precision@k} or {@code f1@k} (default {@code recall@k})
 * @param patience  stop after this many evaluations without a strict improvement (0 = never)
 * @param averaging {@code all-users} (official UltraGCN: divide by every user) or {@code users-with-test-items}
 *                  (LightGCN-PyTorch)
 * @param userBlock users per evaluation task (the official test batch is 2048)
 */
public record RankingEvalSection(Integer every, Boolean official, Integer k, String metric, Integer patience,
                                 String averaging, Integer userBlock) {

    public RankingEvalSection {
        every = every == null ? 1 : every;
        if (every < 1) {
            throw new ConfigException("eval.every", every, "an integer >= 1 (epochs)");
        }
        official = official != null && official;
        k = k == null ? 20 : k;
        if (k < 1) {
            throw new ConfigException("eval.k", k, "an integer >= 1");
        }
        metric = metric == null ? "recall@" + k : metric.trim().toLowerCase(Locale.ROOT);
        List<String> allowed = metricNames(k);
        if (!allowed.contains(metric)) {
            throw new ConfigException("eval.metric", metric, String.join(", ", allowed));
        }
        patience = patience == null ? 0 : patience;
        if (patience < 0) {
            throw new ConfigException("eval.patience", patience, "an integer >= 0 (0 = no early stopping)");
        }
        averaging = averaging == null ? "all-users" : averaging;
        if (!averaging.equals("all-users") && !averaging.equals("users-with-test-items")) {
            throw new ConfigException("eval.averaging", averaging, "all-users, users-with-test-items");
        }
        userBlock = userBlock == null ? 2048 : userBlock;
        if (userBlock < 1) {
            throw new ConfigException("eval.userBlock", userBlock, "an integer >= 1");
        }
    }

    public static RankingEvalSection defaults() {
        return new RankingEvalSection(null, null, null, null, null, null, null);
    }

    public RankingAccumulator.Averaging averagingMode() {
        return averaging.equals("all-users") ? RankingAccumulator.Averaging.ALL_USERS
                : RankingAccumulator.Averaging.USERS_WITH_TEST_ITEMS;
    }

    /** Whether to evaluate after the 0-based epoch {@code epoch}. */
    public boolean due(int epoch) {
        return official ? epoch >= 50 || epoch % 5 == 0 : (epoch + 1) % every == 0;
    }

    static List<String> metricNames(int k) {
        return List.of("recall@" + k, "ndcg@" + k, "precision@" + k, "f1@" + k);
    }
}
