package io.concord.engine;

import io.concord.core.model.StepContext;
import io.concord.core.stat.GlobalStatistic;
import io.concord.core.stat.GlobalStatistic.Freshness;
import io.concord.core.util.Seeds;

import java.util.SplittableRandom;

/**
 * The engine's {@link StepContext}: global values come from the round's broadcast (two-pass values of this round,
 * stale values of the previous round), local values are the partition's contributions for the round. In-step values
 * come from the round's {@link InStepExchange} when the transport has one (the first read runs it, once per round),
 * otherwise from a statistics pass run beforehand, like two-pass values.
 */
public final class EngineStepContext implements StepContext {

    /** The collective of the in-step statistics: this partition's contributions in, the partition-ordered merge out. */
    @FunctionalInterface
    public interface InStepExchange {
        Object[] allReduce(Object[] contributions);
    }

    private final long seed;
    private final int partition;
    private final StatisticSet statistics;
    private final Object[] twoPass;
    private final Object[] stale;
    private final Object[] locals;
    private InStepExchange inStepExchange;
    private Object[] inStep;
    private long step;
    private SplittableRandom random;

    public EngineStepContext(long seed, int partition, StatisticSet statistics, Object[] twoPass, Object[] stale,
                      Object[] locals) {
        this.seed = seed;
        this.partition = partition;
        this.statistics = statistics;
        this.twoPass = twoPass;
        this.stale = stale;
        this.locals = locals;
    }

    /** Reads of in-step statistics run {@code exchange} (once) instead of using precomputed values. */
    public EngineStepContext withInStepExchange(InStepExchange exchange) {
        this.inStepExchange = exchange;
        return this;
    }

    /**
     * Runs the in-step exchange if the model has not asked for it (e.g. its batch was empty), so every partition
     * takes part in the collective exactly once per round.
     */
    public void completeInStepExchange() {
        if (inStepExchange != null && inStep == null) {
            inStep = inStepExchange.allReduce(statistics.select(Freshness.IN_STEP, locals));
        }
    }

    public EngineStepContext atStep(long newStep) {
        this.step = newStep;
        this.random = null;
        return this;
    }

    @Override
    public long step() {
        return step;
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public SplittableRandom random() {
        if (random == null) {
            random = StepContext.stream(seed, step, partition);
        }
        return random;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> S global(GlobalStatistic<S> statistic) {
        int i = index(statistic);
        return (S) switch (statistic.freshness()) {
            case TWO_PASS -> twoPass == null ? null : twoPass[i];
            case IN_STEP -> {
                if (inStepExchange == null) {
                    yield twoPass == null ? null : twoPass[i];
                }
                completeInStepExchange();
                yield inStep[i];
            }
            case STALE_BY_ONE_ROUND, CUMULATIVE -> stale == null ? null : stale[i];
            case REPORT_ONLY -> throw new IllegalStateException("statistic '" + statistic.name()
                    + "' is REPORT_ONLY and cannot be read by the loss");
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> S local(GlobalStatistic<S> statistic) {
        return (S) locals[index(statistic)];
    }

    /**
     * A context for curvature estimation at {@code step}: same statistics, but its own random stream (independent of
     * the gradient pass's draws) and scratch locals.
     */
    public EngineStepContext curvatureContext(long atStep) {
        EngineStepContext c = new EngineStepContext(Seeds.mix(seed, 0xC0A7L), partition,
                statistics, twoPass, stale, statistics.zeros());
        return c.atStep(atStep);
    }

    public Object[] locals() {
        return locals;
    }

    private int index(GlobalStatistic<?> statistic) {
        int i = statistics.indexOf(statistic.name());
        if (i < 0) {
            throw new IllegalArgumentException("statistic '" + statistic.name() + "' is not registered with the job; "
                    + "registered: " + statistics.names());
        }
        return i;
    }
}
