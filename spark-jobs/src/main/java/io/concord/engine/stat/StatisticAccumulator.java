package io.concord.engine.stat;

import io.concord.engine.StatisticSet;
import org.apache.spark.util.AccumulatorV2;

/**
 * Delivers a round's global statistics to the driver. The engine adds to it only inside the result stage of an
 * action ({@code foreachPartition}), where Spark merges each partition's update exactly once: updates of failed
 * attempts are dropped and a duplicate (speculative or retried) success of the same partition is ignored. Updated in
 * a map stage it would double count on recomputation, so the engine never does that.
 */
public final class StatisticAccumulator extends AccumulatorV2<Object[], Object[]> {

    private static final long serialVersionUID = 1L;

    private final StatisticSet statistics;
    private Object[] value;

    public StatisticAccumulator(StatisticSet statistics) {
        this.statistics = statistics;
    }

    @Override
    public boolean isZero() {
        return value == null;
    }

    @Override
    public AccumulatorV2<Object[], Object[]> copy() {
        StatisticAccumulator copy = new StatisticAccumulator(statistics);
        copy.value = value == null ? null : statistics.merge(statistics.zeros(), value);
        return copy;
    }

    @Override
    public void reset() {
        value = null;
    }

    @Override
    public void add(Object[] contribution) {
        value = statistics.merge(value == null ? statistics.zeros() : value, contribution);
    }

    @Override
    public void merge(AccumulatorV2<Object[], Object[]> other) {
        Object[] otherValue = other.value();
        if (otherValue != null) {
            add(otherValue);
        }
    }

    @Override
    public Object[] value() {
        return value;
    }
}
