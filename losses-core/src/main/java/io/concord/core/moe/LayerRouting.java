package io.concord.core.moe;

/**
 * Routing metrics of one MoE layer over a set of routed tokens (Qiu et al. §4.2 / §5), derived from a
 * {@link RoutingTally}.
 *
 * @param layer                   MoE layer index
 * @param lbl                     {@code N_E · Σ_i f_i·P_i} over the tallied tokens, without the coefficient; 1 at
 *                                perfect balance (f_i = c_i/(K·T), P_i = mean routing probability)
 * @param imbalance               {@code max_i f_i · N_E}; 1 at perfect balance, N_E/K at worst
 * @param selectionFrequency      fraction of tokens whose top-K contains expert i (sums to K)
 * @param meanTopKScoreSum        mean over tokens of the sum of the K selected routing probabilities (uniform: K/N_E)
 * @param meanZLoss               mean over tokens of {@code lse(router logits)²}, without the coefficient
 * @param domainFrequency         [domain][expert]: fraction of the domain's tokens whose top-K contains the expert
 *                                (each row sums to K) — the heatmap table
 * @param domainMeanTopKScoreSum  mean top-K score sum per domain (NaN for a domain with no tokens)
 * @param mutualInformation       I(domain; selected expert) in nats (0 = no specialisation)
 * @param normalizedMutualInformation I / H(domain), in [0, 1]
 */
public record LayerRouting(int layer, double lbl, double imbalance, double[] selectionFrequency,
                           double meanTopKScoreSum, double meanZLoss, double[][] domainFrequency,
                           double[] domainMeanTopKScoreSum, double mutualInformation,
                           double normalizedMutualInformation) {
}
