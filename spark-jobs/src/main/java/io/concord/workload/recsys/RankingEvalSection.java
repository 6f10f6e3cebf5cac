package io.concord.workload.recsys;

import io.concord.config.ConfigException;
import io.concord.core.metric.RankingAccumulator;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;

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

    /**
     * The {@code eval:} keys (docs/ultragcn.md's table is generated from them). {@code metric}'s choices depend on
     * {@code k}, so it is declared for the docs and checked by the record.
     */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.integer("every", 1, Rule.atLeast(1), "evaluate after every n-th epoch and after the last "
                    + "(ignored with official)"),
            Param.bool("official", false, "the official UltraGCN schedule: after epochs 0, 5, …, 45 (0-based), then "
                    + "after every epoch"),
            Param.integer("k", 20, Rule.atLeast(1), "cut-off of the ranked list"),
            new Param("metric", Param.Type.CHOICE, null, "recall@k", "one of " + String.join(", ", metricNames("k")),
                    null, metricNames("k"), "selects the best epoch and drives early stopping"),
            Param.integer("patience", 0, Rule.atLeast(0),
                    "stop after this many evaluations without a strict improvement (0 = never)"),
            Param.choice("averaging", "all-users", List.of("all-users", "users-with-test-items"),
                    "all-users (official UltraGCN) or users-with-test-items (LightGCN-PyTorch)"),
            Param.integer("userBlock", 2048, Rule.atLeast(1),
                    "users per evaluation task (the official test batch is 2048)"));

    private static final String SECTION = "eval";

    public RankingEvalSection {
        every = PARAMS.integer(SECTION, "every", every);
        official = PARAMS.bool(SECTION, "official", official);
        k = PARAMS.integer(SECTION, "k", k);
        metric = metric == null ? "recall@" + k : metric.trim().toLowerCase(Locale.ROOT);
        List<String> allowed = metricNames(Integer.toString(k));
        if (!allowed.contains(metric)) {
            throw new ConfigException("eval.metric", metric, "one of " + String.join(", ", allowed));
        }
        patience = PARAMS.integer(SECTION, "patience", patience);
        averaging = PARAMS.choice(SECTION, "averaging", averaging);
        userBlock = PARAMS.integer(SECTION, "userBlock", userBlock);
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

    static List<String> metricNames(String k) {
        return List.of("recall@" + k, "ndcg@" + k, "precision@" + k, "f1@" + k);
    }
}
