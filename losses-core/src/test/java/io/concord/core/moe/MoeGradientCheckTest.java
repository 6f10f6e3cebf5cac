package io.concord.core.moe;

import io.concord.core.model.SimpleStepContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static io.concord.core.moe.MoeFixtures.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Central finite differences in double precision of the whole objective (task loss + α·LBL + β·z-loss) against the
 * hand-written backward pass, for every balance mode and both heads. The expert fractions f come from integer top-K
 * counts, so the finite differences see them as the constants the backward pass treats them as (no top-K set
 * changes under a 1e-6 step for these seeds; if one did, the check would fail loudly).
 */
class MoeGradientCheckTest {

    private static final double EPS = 1e-6;

    private static MoeConfig classification(BalanceMode mode) {
        return MoeConfig.classification(5, 3).modelDim(4).layers(2).experts(4, 2).expertHidden(3)
                .sharedExpertHidden(2).lblCoeff(0.7).zLossCoeff(0.05).balance(mode).domains(3).build();
    }

    private static MoeConfig nextToken(BalanceMode mode) {
        return MoeConfig.nextToken(9).modelDim(4).layers(1).experts(5, 2).expertHidden(3)
                .lblCoeff(0.7).zLossCoeff(0.05).balance(mode).domains(2).build();
    }

    /** Checks every parameter; returns the max abs difference. */
    private static double check(MoeModel model, double[] params, List<MoeExample> batch,
                                Supplier<SimpleStepContext> ctx) {
        double[] analytic = MoeFixtures.gradient(model, params, batch, ctx);
        double[] numeric = new double[params.length];
        for (int k = 0; k < params.length; k++) {
            double[] p = params.clone();
            p[k] = params[k] + EPS;
            double up = MoeFixtures.lossSum(model, p, batch, ctx);
            p[k] = params[k] - EPS;
            double down = MoeFixtures.lossSum(model, p, batch, ctx);
            numeric[k] = (up - down) / (2 * EPS);
        }
        double scale = Math.max(1.0, MoeFixtures.maxAbs(analytic));
        double diff = maxAbsDiff(analytic, numeric);
        assertThat(diff / scale).as("relative max |analytic − numeric|").isLessThan(1e-7);
        return diff;
    }

    @Test
    void microClassificationTwoLayersSharedExpert() {
        MoeModel model = new MoeModel(classification(BalanceMode.MICRO));
        double[] params = MoeFixtures.initParams(model, 11);
        List<MoeExample> batch = MoeFixtures.features(10, 5, 3, 3, 12);
        check(model, params, batch, () -> SimpleStepContext.of(1, 0));
    }

    @Test
    void microNextToken() {
        MoeModel model = new MoeModel(nextToken(BalanceMode.MICRO));
        double[] params = MoeFixtures.initParams(model, 21);
        List<MoeExample> batch = MoeFixtures.tokens(3, 5, 9, 2, 22);
        check(model, params, batch, () -> SimpleStepContext.of(1, 0));
    }

    @Test
    void globalTwoPassWithMergedCountsOfALargerBatch() {
        MoeModel model = new MoeModel(classification(BalanceMode.GLOBAL_TWO_PASS));
        double[] params = MoeFixtures.initParams(model, 31);
        List<MoeExample> union = MoeFixtures.features(30, 5, 3, 3, 32);
        long[] merged = MoeFixtures.counts(model, params, union);
        List<MoeExample> partition = union.subList(0, 9);
        check(model, params, partition, () -> SimpleStepContext.of(1, 0).withGlobal(model.countStatistic(),
                merged.clone()));
    }

    @Test
    void globalTwoPassNextToken() {
        MoeModel model = new MoeModel(nextToken(BalanceMode.GLOBAL_TWO_PASS));
        double[] params = MoeFixtures.initParams(model, 41);
        List<MoeExample> union = MoeFixtures.tokens(8, 5, 9, 2, 42);
        long[] merged = MoeFixtures.counts(model, params, union);
        check(model, params, union.subList(5, 8), () -> SimpleStepContext.of(1, 0)
                .withGlobal(model.countStatistic(), merged.clone()));
    }

    @Test
    void staleByOneRoundUsesThePreviousRoundsCounts() {
        MoeModel model = new MoeModel(classification(BalanceMode.GLOBAL_STALE));
        double[] params = MoeFixtures.initParams(model, 51);
        long[] previous = MoeFixtures.counts(model, MoeFixtures.initParams(model, 52), MoeFixtures.features(20, 5, 3, 3, 53));
        List<MoeExample> batch = MoeFixtures.features(8, 5, 3, 3, 54);
        check(model, params, batch, () -> SimpleStepContext.of(1, 1).withGlobal(model.countStatistic(),
                previous.clone()));
    }

    @Test
    void runningBufferIncludesEarlierLocalSteps() {
        MoeModel model = new MoeModel(classification(BalanceMode.RUNNING_BUFFER));
        double[] params = MoeFixtures.initParams(model, 61);
        long[] earlier = MoeFixtures.counts(model, params, MoeFixtures.features(12, 5, 3, 3, 62));
        List<MoeExample> batch = MoeFixtures.features(8, 5, 3, 3, 63);
        check(model, params, batch, () -> {
            SimpleStepContext ctx = SimpleStepContext.of(1, 0);
            model.countStatistic().merge(ctx.local(model.countStatistic()), earlier);
            return ctx;
        });
    }

    @Test
    void theCheckSeesTheBalancingTerm() {
        MoeConfig with = classification(BalanceMode.MICRO);
        MoeModel lbl = new MoeModel(with);
        MoeModel none = new MoeModel(MoeFixtures.withLbl(with, 0.0));
        double[] params = MoeFixtures.initParams(lbl, 11);
        List<MoeExample> batch = MoeFixtures.features(10, 5, 3, 3, 12);
        Supplier<SimpleStepContext> ctx = () -> SimpleStepContext.of(1, 0);
        double diff = maxAbsDiff(MoeFixtures.gradient(lbl, params, batch, ctx),
                MoeFixtures.gradient(none, params, batch, ctx));
        assertThat(diff).as("gradient contribution of α·LBL").isGreaterThan(1e-2);
    }
}
