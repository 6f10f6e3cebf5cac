package io.concord.core.moe;

import io.concord.core.stat.GlobalStatistic;

import java.util.Locale;

/**
 * Which tokens the expert-selection frequencies {@code f} of the load-balancing loss are computed over. The routing
 * probabilities {@code P} are always those of the local batch; only {@code f} changes.
 *
 * <p>Config: {@code moe.balance = micro | global}; for {@code global}, {@code moe.balance.freshness = two-pass |
 * one-pass | stale-by-one-round | running-buffer} (default: the declaration in {@link MoeConfig#MOE_PARAMS},
 * {@code two-pass}).
 */
public enum BalanceMode {

    /** Each {@code accumulateGradient} call balances its own batch (Megatron/DeepSpeed's default micro-batch LBL). */
    MICRO(GlobalStatistic.Freshness.REPORT_ONLY),

    /**
     * Exact global-batch LBL: a forward-only counting pass ({@link io.concord.core.model.StatisticsProducer}) sums the
     * expert counts of every partition of the round, then the loss pass uses the merged counts. Exact for
     * global-batch synchronisation (one optimizer step per round).
     */
    GLOBAL_TWO_PASS(GlobalStatistic.Freshness.TWO_PASS),

    /**
     * The same exact global-batch LBL in one forward pass: the loss pass routes its batch, adds the counts to
     * {@code ctx.local}, reads the merged counts of every partition ({@link GlobalStatistic.Freshness#IN_STEP}: the
     * read is the all-reduce, with a transport that has one) and back-propagates from the activations it kept.
     * Same counts, hence bit-identical gradients to {@link #GLOBAL_TWO_PASS}; global-batch synchronisation only.
     */
    GLOBAL_ONE_PASS(GlobalStatistic.Freshness.IN_STEP),

    /**
     * Global counts of the previous round (all partitions, all local steps); the first round, which has none,
     * balances its own batch as {@link #MICRO} does. An approximation the paper does not evaluate.
     */
    GLOBAL_STALE(GlobalStatistic.Freshness.STALE_BY_ONE_ROUND),

    /**
     * For several local steps per round (parameter averaging): local step k of a round uses the counts of this
     * partition's steps 1..k of the round, kept in {@code ctx.local(counts)} (Qiu et al., Algorithm 1, with the
     * buffer local to the partition because partitions do not communicate inside a round).
     */
    RUNNING_BUFFER(GlobalStatistic.Freshness.REPORT_ONLY);

    private final GlobalStatistic.Freshness countsFreshness;

    BalanceMode(GlobalStatistic.Freshness countsFreshness) {
        this.countsFreshness = countsFreshness;
    }

    /** Freshness of the expert-count statistic this mode needs. */
    public GlobalStatistic.Freshness countsFreshness() {
        return countsFreshness;
    }

    /** Whether the loss reads a count statistic at all (every mode but {@link #MICRO}). */
    public boolean usesCountStatistic() {
        return this != MICRO;
    }

    /**
     * Parses {@code moe.balance} and {@code moe.balance.freshness}; {@code freshness} may be null (two-pass) and must
     * be null or absent for {@code micro}.
     */
    public static BalanceMode parse(String balance, String freshness) {
        String b = normalise(balance);
        if (b.equals("micro")) {
            if (freshness != null && !freshness.isBlank()) {
                throw new IllegalArgumentException("moe.balance.freshness applies only to moe.balance=global, got '"
                        + freshness + "' with moe.balance=micro");
            }
            return MICRO;
        }
        if (!b.equals("global")) {
            throw new IllegalArgumentException("moe.balance must be 'micro' or 'global', got '" + balance + "'");
        }
        String f = freshness == null || freshness.isBlank()
                ? (String) MoeConfig.MOE_PARAMS.param("freshness").defaultValue() : normalise(freshness);
        return switch (f) {
            case "two-pass" -> GLOBAL_TWO_PASS;
            case "one-pass" -> GLOBAL_ONE_PASS;
            case "stale-by-one-round", "stale" -> GLOBAL_STALE;
            case "running-buffer", "buffer" -> RUNNING_BUFFER;
            default -> throw new IllegalArgumentException("moe.balance.freshness must be 'two-pass', 'one-pass', "
                    + "'stale-by-one-round' or 'running-buffer', got '" + freshness + "'");
        };
    }

    private static String normalise(String s) {
        return s == null ? "" : s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
