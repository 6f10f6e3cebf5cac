package io.concord.core.stat;

import java.io.Serializable;

/**
 * A mergeable statistic computed over all partitions of a round: expert selection counts, degree tables, score
 * bounds, loss sums. Values form a commutative monoid under {@link #merge} with identity {@link #zero()}.
 *
 * <p>Implementations are stateless descriptions (a name and the operations); values of type {@code S} travel
 * through Kryo, so {@code S} must be a registered type.
 *
 * @param <S> value type
 */
public interface GlobalStatistic<S> extends Serializable {

    /** Unique name within a job; used in logs, checkpoints and metrics. */
    String name();

    /** A fresh identity value; callers may mutate it. */
    S zero();

    /** Adds {@code right} into {@code left} and returns the result (may be {@code left} itself). */
    S merge(S left, S right);

    /** An independent deep copy, used for immutable snapshots that are broadcast. */
    S copy(S value);

    /** When the merged value is available to the loss. */
    Freshness freshness();

    /**
     * For {@link Freshness#CUMULATIVE} statistics: the value carried into the next round from the value carried so far
     * ({@code previous}, null before the first round; never mutated) and this round's merged value. The default
     * merges them; statistics whose contributions supersede older ones (per-example state) compact instead.
     */
    default S accumulate(S previous, S current) {
        return previous == null ? current : merge(copy(previous), current);
    }

    /** When a statistic's merged value is available to the loss computation. */
    enum Freshness {
        /** A forward-only statistics pass runs first; the loss pass sees this round's exact merged value. */
        TWO_PASS,
        /**
         * The loss sees this round's exact merged value, all-reduced in the middle of the step: the model adds its
         * whole contribution to {@code ctx.local(statistic)} (e.g. after the forward pass) and then calls
         * {@code ctx.global(statistic)}, which exchanges the partitions' contributions, merges them in partition
         * order and returns the merged value; the step then continues on the activations it kept (one forward
         * pass). Needs one model call per partition per round (global-batch sync). Where no collective exists
         * (the driver transport) the engine computes the value beforehand with a statistics pass, as for
         * {@link #TWO_PASS}, so the model also implements {@code StatisticsProducer}.
         */
        IN_STEP,
        /** The loss pass sees the previous round's merged value (null in the first round). */
        STALE_BY_ONE_ROUND,
        /**
         * The loss pass sees the value accumulated over all previous rounds ({@link #accumulate}): running totals,
         * per-example state tables. Null in the first round.
         */
        CUMULATIVE,
        /** Collected for reporting only; never read by the loss. */
        REPORT_ONLY
    }
}
