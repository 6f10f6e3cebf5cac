package io.concord.core.model;

import io.concord.core.stat.GlobalStatistic;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A {@link StepContext} for single-machine use and tests: global values are set explicitly, local contributions are
 * kept in a map. An {@link GlobalStatistic.Freshness#IN_STEP} value that was not set is the local contribution itself
 * (the all-reduce over one partition).
 */
public final class SimpleStepContext implements StepContext {

    private final long seed;
    private final long step;
    private final int partition;
    private final Map<String, Object> globals = new HashMap<>();
    private final Map<String, Object> locals = new HashMap<>();
    private SplittableRandom random;

    public SimpleStepContext(long seed, long step, int partition) {
        this.seed = seed;
        this.step = step;
        this.partition = partition;
    }

    public static SimpleStepContext of(long seed, long step) {
        return new SimpleStepContext(seed, step, 0);
    }

    public <S> SimpleStepContext withGlobal(GlobalStatistic<S> statistic, S value) {
        globals.put(statistic.name(), value);
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
        Object value = globals.get(statistic.name());
        if (value == null && statistic.freshness() == GlobalStatistic.Freshness.IN_STEP) {
            // one partition: the in-step all-reduce of its own contribution is that contribution
            return statistic.copy(local(statistic));
        }
        return (S) value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> S local(GlobalStatistic<S> statistic) {
        return (S) locals.computeIfAbsent(statistic.name(), k -> statistic.zero());
    }
}
