package io.concord.core.metric;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Sums of per-user Recall@k, Precision@k and NDCG@k exactly as the official UltraGCN/LightGCN evaluation computes them
 * (reference §3), mergeable across user blocks: {@link #merge} is associative and commutative up to double rounding.
 *
 * <p>Per user with test set T and hit vector r over the ranked list (train items already excluded):
 * {@code Recall = Σr / max(|T|, 1)}, {@code Precision = Σr / k} (always k, even if fewer than k items were ranked),
 * {@code DCG = Σ_{p=1..k} r_p / log2(p+1)}, {@code IDCG = Σ_{p=1..min(k,|T|)} 1/log2(p+1)} (binary relevance; 1 when
 * T is empty), {@code NDCG = DCG / IDCG}. IDCG is built from |T|, not from the hits: the historical NGCF bug is not
 * reproduced.
 *
 * <p>Averages: over ALL users added (official UltraGCN, users without test items count as 0), or over users with at
 * least one test item (LightGCN-PyTorch's {@code testDict}).
 */
public final class RankingAccumulator implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Which users the sums are divided by. */
    public enum Averaging {
        /** Every user added, with or without test items (official UltraGCN: divide by n_users). */
        ALL_USERS,
        /** Only users with at least one test item. */
        USERS_WITH_TEST_ITEMS
    }

    private final int k;
    private long users;
    private long usersWithTest;
    private double recallSum;
    private double precisionSum;
    private double ndcgSum;

    public RankingAccumulator(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be > 0, got " + k);
        }
        this.k = k;
    }

    public int k() {
        return k;
    }

    public long users() {
        return users;
    }

    public long usersWithTestItems() {
        return usersWithTest;
    }

    /**
     * Adds one user.
     *
     * @param ranked    the user's ranked item ids, best first (train items already excluded)
     * @param numRanked how many of {@code ranked} are valid; only the first {@code min(numRanked, k)} count
     * @param test      array holding the user's test items, sorted ascending and distinct, in {@code [from, to)}
     */
    public void addUser(int[] ranked, int numRanked, int[] test, int from, int to) {
        users++;
        int t = to - from;
        if (t == 0) {
            return;
        }
        usersWithTest++;
        int n = Math.min(numRanked, k);
        int hits = 0;
        double dcg = 0.0;
        for (int p = 0; p < n; p++) {
            if (Arrays.binarySearch(test, from, to, ranked[p]) >= 0) {
                hits++;
                dcg += discount(p);
            }
        }
        double idcg = 0.0;
        for (int p = 0, m = Math.min(k, t); p < m; p++) {
            idcg += discount(p);
        }
        recallSum += (double) hits / t;
        precisionSum += (double) hits / k;
        ndcgSum += dcg / idcg;
    }

    /** Adds {@code count} users without test items: they count in the all-users average with 0. */
    public void addUsersWithoutTestItems(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        users += count;
    }

    /** Adds {@code other} into this accumulator and returns this. */
    public RankingAccumulator merge(RankingAccumulator other) {
        if (other.k != k) {
            throw new IllegalArgumentException("cannot merge metrics at k=" + other.k + " into k=" + k);
        }
        users += other.users;
        usersWithTest += other.usersWithTest;
        recallSum += other.recallSum;
        precisionSum += other.precisionSum;
        ndcgSum += other.ndcgSum;
        return this;
    }

    public RankingResult result(Averaging averaging) {
        long denominator = averaging == Averaging.ALL_USERS ? users : usersWithTest;
        if (denominator == 0) {
            return new RankingResult(k, 0.0, 0.0, 0.0, 0.0, 0);
        }
        double r = recallSum / denominator;
        double p = precisionSum / denominator;
        double nd = ndcgSum / denominator;
        double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
        return new RankingResult(k, r, p, nd, f1, denominator);
    }

    /** {@code 1 / log2(p + 2)} for the 0-based rank p. */
    private static double discount(int p) {
        return 1.0 / (Math.log(p + 2.0) / Math.log(2.0));
    }

    @Override
    public String toString() {
        return "RankingAccumulator[k=" + k + ", users=" + users + ", withTest=" + usersWithTest + "]";
    }
}
