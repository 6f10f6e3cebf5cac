package io.concord.core.loss;

import io.concord.core.stat.GlobalStatistic;

import java.util.Objects;

/**
 * The global statistic that carries per-example state updates ({@link ExampleStateDelta}) from the partitions to the
 * driver. With the default freshness {@link Freshness#CUMULATIVE} the engine carries the compacted union of all
 * rounds' updates ({@link #accumulate}) — the per-example state table in sparse form — and a round's loss reads the
 * state written up to the previous round through {@link ExampleStateDelta#lookup}; examples never updated yet have
 * the loss's initial state.
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
        return new ExampleStateDeltas(loss.name() + ".state", loss.stateWidth(), Freshness.CUMULATIVE);
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
    public ExampleStateDelta accumulate(ExampleStateDelta previous, ExampleStateDelta current) {
        return previous == null ? current.compact() : previous.copy().addAll(current).compact();
    }

    @Override
    public Freshness freshness() {
        return freshness;
    }
}
