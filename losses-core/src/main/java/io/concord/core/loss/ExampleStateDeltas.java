package io.concord.core.loss;

import io.concord.core.stat.GlobalStatistic;

import java.util.Objects;

/**
 * The global statistic that carries per-example state updates ({@link ExampleStateDelta}) from the partitions to the
 * driver, which applies the merged value to its {@link ExampleStateTable} and broadcasts the table for the next round.
 * The loss itself reads the table, never this statistic, so the default freshness is
 * {@link Freshness#STALE_BY_ONE_ROUND} (a round sees the state written up to the previous round).
 */
public final class ExampleStateDeltas implements GlobalStatistic<ExampleStateDelta> {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final int width;
    private final Freshness freshness;

    public ExampleStateDeltas(String name, int width, Freshness freshness) {
        this.name = Objects.requireNonNull(name, "name");
        if (width <= 0) {
            throw new IllegalArgumentException("statistic '" + name + "': width must be > 0, got " + width);
        }
        this.width = width;
        this.freshness = Objects.requireNonNull(freshness, "freshness");
    }

    /** The statistic for {@code loss}'s state, named {@code "<loss>.state"}. */
    public static ExampleStateDeltas of(ExampleStateLoss loss) {
        return new ExampleStateDeltas(loss.name() + ".state", loss.stateWidth(), Freshness.STALE_BY_ONE_ROUND);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ExampleStateDelta zero() {
        return new ExampleStateDelta(width);
    }

    @Override
    public ExampleStateDelta merge(ExampleStateDelta left, ExampleStateDelta right) {
        return left.addAll(right);
    }

    @Override
    public ExampleStateDelta copy(ExampleStateDelta value) {
        return value.copy();
    }

    @Override
    public Freshness freshness() {
        return freshness;
    }
}
