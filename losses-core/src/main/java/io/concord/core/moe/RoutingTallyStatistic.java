package io.concord.core.moe;

import io.concord.core.stat.GlobalStatistic;

/**
 * A {@link RoutingTally} as a report-only global statistic named {@value #NAME}: the model adds every training
 * batch's routing into {@code ctx.local(...)}, the engine merges the partitions' tallies once per round and logs
 * {@link RoutingTally#layer(int)}. Never read by the loss.
 */
public final class RoutingTallyStatistic implements GlobalStatistic<RoutingTally> {

    public static final String NAME = "moe.routingTally";
    private static final long serialVersionUID = 1L;

    private final int numLayers;
    private final int numExperts;
    private final int topK;
    private final int numDomains;

    public RoutingTallyStatistic(MoeConfig config) {
        this.numLayers = config.numLayers();
        this.numExperts = config.numExperts();
        this.topK = config.topK();
        this.numDomains = config.numDomains();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RoutingTally zero() {
        return new RoutingTally(numLayers, numExperts, topK, numDomains);
    }

    @Override
    public RoutingTally merge(RoutingTally left, RoutingTally right) {
        return left.merge(right);
    }

    @Override
    public RoutingTally copy(RoutingTally value) {
        return value.copy();
    }

    @Override
    public Freshness freshness() {
        return Freshness.REPORT_ONLY;
    }
}
