package io.concord.core.model;

import io.concord.core.stat.GlobalStatistic.Freshness;

import java.util.List;

/**
 * A model whose loss needs a {@link Freshness#TWO_PASS} statistic implements this
 * forward-only pass: it adds the batch's contribution into {@code ctx.local(statistic)} and changes nothing else.
 */
public interface StatisticsProducer<R> {

    void contributeStatistics(float[] params, List<R> batch, StepContext ctx);
}
