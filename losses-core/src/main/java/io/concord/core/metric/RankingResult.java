package io.concord.core.metric;

/**
 * Averaged full-ranking metrics at cut-off {@code k}.
 *
 * @param k           cut-off
 * @param recall      mean Recall@k
 * @param precision   mean Precision@k
 * @param ndcg        mean NDCG@k
 * @param f1          {@code 2PR/(P+R)} from the averaged P and R, as the official code reports it (0 if both are 0)
 * @param denominator number of users the sums were divided by
 */
public record RankingResult(int k, double recall, double precision, double ndcg, double f1, long denominator) {
}
