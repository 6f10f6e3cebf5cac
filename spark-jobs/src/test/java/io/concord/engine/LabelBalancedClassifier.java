package io.concord.engine;

import io.concord.core.loss.SoftmaxCrossEntropy;
import io.concord.core.model.BatchLoss;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.LinearClassifier;
import io.concord.core.model.Model;
import io.concord.core.model.StatisticsProducer;
import io.concord.core.model.StepContext;
import io.concord.core.stat.GlobalStatistic;
import io.concord.core.stat.LongVectorSum;

import java.util.List;

/**
 * A test model whose loss depends on a global statistic: class-balanced cross-entropy with example weights
 * {@code n / (K · count_c)} from the label counts of the global batch (TWO_PASS) or of the previous round's global
 * batch (STALE_BY_ONE_ROUND; weight 1 while no counts exist). It also reports the counts it saw in its gradient pass.
 */
final class LabelBalancedClassifier implements Model<LabeledVector>, StatisticsProducer<LabeledVector> {

    private static final long serialVersionUID = 1L;

    final LinearClassifier base;
    final LongVectorSum labelCounts;
    final LongVectorSum seenCounts;

    LabelBalancedClassifier(int dimension, int numClasses, GlobalStatistic.Freshness freshness) {
        this.base = new LinearClassifier(dimension, numClasses, SoftmaxCrossEntropy.INSTANCE, 0.0);
        this.labelCounts = new LongVectorSum("label-counts", numClasses, freshness);
        this.seenCounts = new LongVectorSum("seen-counts", numClasses, GlobalStatistic.Freshness.REPORT_ONLY);
    }

    StatisticSet statistics() {
        return new StatisticSet(List.of(labelCounts, seenCounts));
    }

    @Override
    public int numParams() {
        return base.numParams();
    }

    @Override
    public void initParams(float[] params, long seed) {
        base.initParams(params, seed);
    }

    @Override
    public void contributeStatistics(float[] params, List<LabeledVector> batch, StepContext ctx) {
        long[] counts = ctx.local(labelCounts);
        for (LabeledVector v : batch) {
            counts[v.label()]++;
        }
    }

    @Override
    public BatchLoss accumulateGradient(float[] params, List<LabeledVector> batch, float[] grad, StepContext ctx) {
        if (labelCounts.freshness() == GlobalStatistic.Freshness.STALE_BY_ONE_ROUND) {
            contributeStatistics(params, batch, ctx);
        }
        long[] seen = ctx.local(seenCounts);
        long[] counts = ctx.global(labelCounts);
        double total = 0;
        if (counts != null) {
            for (long c : counts) {
                total += c;
            }
        }
        double lossSum = 0;
        float[] one = new float[grad.length];
        for (LabeledVector v : batch) {
            seen[v.label()]++;
            double w = counts == null || counts[v.label()] == 0 ? 1.0
                    : total / (base.numClasses() * (double) counts[v.label()]);
            java.util.Arrays.fill(one, 0f);
            BatchLoss l = base.accumulateGradient(params, List.of(v), one, ctx);
            for (int i = 0; i < grad.length; i++) {
                grad[i] += (float) (w * one[i]);
            }
            lossSum += w * l.lossSum();
        }
        return new BatchLoss(lossSum, batch.size());
    }
}
