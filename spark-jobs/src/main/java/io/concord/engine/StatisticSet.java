package io.concord.engine;

import io.concord.core.stat.GlobalStatistic;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The global statistics of a job, in a fixed order. Values of a round travel as an {@code Object[]} aligned with that
 * order, so a round record carries all of them in one array.
 */
public final class StatisticSet implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<GlobalStatistic<?>> statistics;

    public StatisticSet(List<? extends GlobalStatistic<?>> statistics) {
        Set<String> names = new HashSet<>();
        for (GlobalStatistic<?> s : statistics) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("duplicate statistic name '" + s.name() + "'");
            }
        }
        this.statistics = List.copyOf(statistics);
    }

    public static StatisticSet empty() {
        return new StatisticSet(List.of());
    }

    public int size() {
        return statistics.size();
    }

    public boolean isEmpty() {
        return statistics.isEmpty();
    }

    public GlobalStatistic<?> get(int index) {
        return statistics.get(index);
    }

    public List<GlobalStatistic<?>> all() {
        return statistics;
    }

    public boolean has(GlobalStatistic.Freshness freshness) {
        return statistics.stream().anyMatch(s -> s.freshness() == freshness);
    }

    public int indexOf(String name) {
        for (int i = 0; i < statistics.size(); i++) {
            if (statistics.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public Object[] zeros() {
        Object[] values = new Object[statistics.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = statistics.get(i).zero();
        }
        return values;
    }

    /**
     * Merges {@code right} into {@code left} element-wise; either array, and any entry, may be null (meaning "no
     * value").
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object[] merge(Object[] left, Object[] right) {
        if (left == null) {
            return right;
        }
        if (right == null) {
            return left;
        }
        for (int i = 0; i < left.length; i++) {
            GlobalStatistic s = statistics.get(i);
            if (right[i] == null) {
                continue;
            }
            left[i] = left[i] == null ? right[i] : s.merge(left[i], right[i]);
        }
        return left;
    }

    /** The entries of {@code values} whose statistic has {@code freshness}; the others are null. */
    public Object[] select(GlobalStatistic.Freshness freshness, Object[] values) {
        Object[] out = new Object[statistics.size()];
        for (int i = 0; i < out.length; i++) {
            if (statistics.get(i).freshness() == freshness) {
                out[i] = values[i];
            }
        }
        return out;
    }

    /**
     * Whether the loss reads a value of this round that must exist before the gradient pass on a transport without
     * an in-step collective: a two-pass or an in-step statistic.
     */
    public boolean needsStatisticsPass() {
        return has(GlobalStatistic.Freshness.TWO_PASS) || has(GlobalStatistic.Freshness.IN_STEP);
    }

    /**
     * What a round's loss may read of the values carried from earlier rounds: deep copies of the stale-by-one-round
     * values, and the cumulative values as they are ({@link GlobalStatistic#accumulate} never mutates them). Other
     * entries are null.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object[] carriedSnapshot(Object[] values) {
        Object[] out = new Object[statistics.size()];
        if (values == null) {
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            GlobalStatistic s = statistics.get(i);
            if (values[i] == null) {
                continue;
            }
            if (s.freshness() == GlobalStatistic.Freshness.STALE_BY_ONE_ROUND) {
                out[i] = s.copy(values[i]);
            } else if (s.freshness() == GlobalStatistic.Freshness.CUMULATIVE) {
                out[i] = values[i];
            }
        }
        return out;
    }

    /**
     * The values to carry into the next round: this round's merged values, except that cumulative statistics
     * accumulate onto what was carried before.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object[] carryForward(Object[] previous, Object[] round) {
        Object[] out = round.clone();
        for (int i = 0; i < out.length; i++) {
            GlobalStatistic s = statistics.get(i);
            if (s.freshness() == GlobalStatistic.Freshness.CUMULATIVE) {
                out[i] = s.accumulate(previous == null ? null : previous[i], round[i]);
            }
        }
        return out;
    }

    /** Name → value view, for logs and checkpoints. */
    public Map<String, Object> byName(Object[] values) {
        Map<String, Object> out = new HashMap<>();
        if (values != null) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    out.put(statistics.get(i).name(), values[i]);
                }
            }
        }
        return out;
    }

    public Object[] fromNames(Map<String, Object> byName) {
        Object[] out = new Object[statistics.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = byName.get(statistics.get(i).name());
        }
        return out;
    }

    public List<String> names() {
        List<String> names = new ArrayList<>();
        statistics.forEach(s -> names.add(s.name()));
        return names;
    }
}
