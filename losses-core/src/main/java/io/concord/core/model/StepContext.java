package io.concord.core.model;

import io.concord.core.stat.GlobalStatistic;
import io.concord.core.util.Seeds;

import java.util.SplittableRandom;

/**
 * What a model may see of the world during one local step: where it runs, a reproducible random stream, and the
 * global statistics.
 */
public interface StepContext {

    /** Zero-based global optimizer step this computation belongs to. */
    long step();

    /** Index of the partition (shard) this computation runs on; 0 on a single machine. */
    int partition();

    /**
     * A random stream determined only by (seed, step, partition): the same on a retried or speculative task attempt
     * and after a resume, so negative sampling and dropout never break exactness.
     */
    SplittableRandom random();

    /**
     * The one derivation of a step's random stream, used by every context (the engine's and the single-machine one),
     * so a single-machine reference replays exactly the draws the engine made.
     */
    static SplittableRandom stream(long seed, long step, int partition) {
        return Seeds.stream(seed, 0x57E9L, step, partition);
    }

    /**
     * The merged value of {@code statistic} over every partition: for {@link GlobalStatistic.Freshness#TWO_PASS}
     * statistics this round's value, for {@link GlobalStatistic.Freshness#STALE_BY_ONE_ROUND} the previous round's;
     * {@code null} before the first value exists. For {@link GlobalStatistic.Freshness#IN_STEP} statistics this
     * round's value too, and the first call may be the collective itself: every contribution to
     * {@link #local} must be added before it.
     */
    <S> S global(GlobalStatistic<S> statistic);

    /**
     * This partition's contribution to {@code statistic} for the current round, mutable, starting at
     * {@link GlobalStatistic#zero()} at the start of each round and kept across the local steps of the round.
     */
    <S> S local(GlobalStatistic<S> statistic);
}
