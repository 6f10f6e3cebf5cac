package io.concord.core.moe;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.stat.GlobalStatistic;
import io.concord.core.stat.LongVectorSum;

import java.util.List;

/**
 * One global-batch synchronisation round of a {@link MoeModel} over explicit partitions, in one JVM and in double
 * precision — what the engine does with Spark, written out: (1) for a two-pass model, every partition runs
 * {@link MoeModel#contributeStatistics} into its own local value and the values are merged; (2) every partition runs
 * {@link MoeModel#accumulateGradient} with the merged counts as {@code ctx.global}; (3) the partitions' gradients
 * and weights are SUMMED and the gradient divided once by the total weight ({@code Reduction.MEAN}).
 *
 * <p>The reference for the engine's own tests: a Spark round over the same partitions must reproduce
 * {@link Result#gradient()} (to float rounding), and for a global two-pass model it equals the single-machine
 * gradient of the union batch ({@link #singleMachine}).
 */
public final class GlobalBatchRound {

    /**
     * @param gradient      Σ_j g_j / W, the gradient the optimizer sees
     * @param meanLoss      Σ_j lossSum_j / W
     * @param weight        W, the total token count
     * @param expertCounts  merged expert counts of the round (the value a stale-by-one-round model reads next round)
     * @param tally         merged routing tally of the round
     */
    public record Result(double[] gradient, double meanLoss, double weight, long[] expertCounts, RoutingTally tally) {
    }

    private GlobalBatchRound() {
    }

    /**
     * Runs one round. {@code previousCounts} is the previous round's merged counts, read only by a
     * {@link BalanceMode#GLOBAL_STALE} model (null in the first round).
     */
    public static Result run(MoeModel model, double[] params, List<List<MoeExample>> partitions, long seed, long step,
                             long[] previousCounts) {
        LongVectorSum counts = model.countStatistic();
        long[] merged = null;
        // an in-step statistic has the same value as a two-pass one; here it is computed beforehand, as the
        // engine's driver transport does
        boolean thisRound = counts.freshness() == GlobalStatistic.Freshness.TWO_PASS
                || counts.freshness() == GlobalStatistic.Freshness.IN_STEP;
        if (thisRound) {
            merged = counts.zero();
            for (int j = 0; j < partitions.size(); j++) {
                SimpleStepContext ctx = new SimpleStepContext(seed, step, j);
                model.contributeStatistics(params, partitions.get(j), ctx);
                counts.merge(merged, ctx.local(counts));
            }
        }
        long[] visible = thisRound ? merged : previousCounts;
        double[] sum = new double[model.numParams()];
        BatchLoss total = BatchLoss.ZERO;
        RoutingTally tally = model.tallyStatistic().zero();
        for (int j = 0; j < partitions.size(); j++) {
            SimpleStepContext ctx = new SimpleStepContext(seed, step, j);
            if (visible != null) {
                ctx.withGlobal(counts, counts.copy(visible));
            }
            double[] g = new double[model.numParams()];
            total = total.plus(model.accumulateGradient(params, partitions.get(j), g, ctx));
            for (int k = 0; k < g.length; k++) {
                sum[k] += g[k];
            }
            tally.merge(ctx.local(model.tallyStatistic()));
        }
        double w = total.weight();
        for (int k = 0; k < sum.length; k++) {
            sum[k] = w == 0.0 ? 0.0 : sum[k] / w;
        }
        return new Result(sum, total.meanLoss(), w, tally.expertCounts(), tally);
    }

    /**
     * The single-machine reference: the gradient of the union batch as one batch, whose balance statistic is its own
     * counts (micro-batch balancing over the union is global-batch balancing). Uses a {@link BalanceMode#MICRO} copy
     * of the model so that no statistic machinery is involved.
     */
    public static Result singleMachine(MoeModel model, double[] params, List<MoeExample> union, long seed,
                                       long step) {
        MoeConfig c = model.config();
        MoeConfig micro = new MoeConfig(c.task(), c.inputDim(), c.vocabSize(), c.numClasses(), c.modelDim(),
                c.numLayers(), c.numExperts(), c.topK(), c.expertHidden(), c.sharedExpertHidden(), c.lblCoeff(),
                c.zLossCoeff(), BalanceMode.MICRO, c.numDomains());
        return run(new MoeModel(micro), params, List.of(union), seed, step, null);
    }
}
