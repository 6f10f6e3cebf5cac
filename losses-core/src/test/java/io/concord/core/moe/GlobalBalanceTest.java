package io.concord.core.moe;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.stat.LongVectorSum;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.concord.core.moe.MoeFixtures.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The acceptance property of global-batch load balancing without Spark: summing the partitions' gradients computed with the merged
 * expert counts gives the single-machine gradient of the union batch; micro-batch balancing does not.
 */
class GlobalBalanceTest {

    private static MoeConfig classification(BalanceMode mode) {
        return MoeConfig.classification(6, 3).modelDim(8).layers(2).experts(6, 2).expertHidden(5)
                .sharedExpertHidden(4).lblCoeff(0.5).zLossCoeff(1e-2).balance(mode).domains(4).build();
    }

    private final List<MoeExample> union = MoeFixtures.sortedByDomain(MoeFixtures.features(60, 6, 3, 4, 7));
    private final List<List<MoeExample>> partitions = MoeFixtures.split(union, 9, 20, 4, 27);

    @Test
    void summedPartitionGradientsEqualTheUnionGradient() {
        MoeModel global = new MoeModel(classification(BalanceMode.GLOBAL_TWO_PASS));
        double[] params = MoeFixtures.initParams(global, 3);
        GlobalBatchRound.Result distributed = GlobalBatchRound.run(global, params, partitions, 5, 0, null);
        GlobalBatchRound.Result single = GlobalBatchRound.singleMachine(global, params, union, 5, 0);

        assertThat(distributed.weight()).isEqualTo(60.0);
        assertThat(maxAbsDiff(distributed.gradient(), single.gradient())).isLessThan(1e-6);
        assertThat(maxAbsDiff(distributed.gradient(), single.gradient())).as("double precision: rounding only")
                .isLessThan(1e-12);
        assertThat(distributed.meanLoss()).isCloseTo(single.meanLoss(), within(1e-12));
        assertThat(distributed.expertCounts()).isEqualTo(single.expertCounts());
    }

    @Test
    void theSameHoldsThroughTheFloatEntryPointsTheEngineCalls() {
        MoeModel global = new MoeModel(classification(BalanceMode.GLOBAL_TWO_PASS));
        float[] params = new float[global.numParams()];
        global.initParams(params, 3);
        LongVectorSum counts = global.countStatistic();

        long[] merged = counts.zero();
        for (int j = 0; j < partitions.size(); j++) {
            SimpleStepContext ctx = new SimpleStepContext(5, 0, j);
            global.contributeStatistics(params, partitions.get(j), ctx);
            counts.merge(merged, ctx.local(counts));
        }
        float[] sum = new float[global.numParams()];
        BatchLoss total = BatchLoss.ZERO;
        for (int j = 0; j < partitions.size(); j++) {
            SimpleStepContext ctx = new SimpleStepContext(5, 0, j).withGlobal(counts, counts.copy(merged));
            total = total.plus(global.accumulateGradient(params, partitions.get(j), sum, ctx));
        }
        MoeModel micro = new MoeModel(classification(BalanceMode.MICRO));
        float[] single = new float[global.numParams()];
        BatchLoss one = micro.accumulateGradient(params, union, single, SimpleStepContext.of(5, 0));

        assertThat(total.weight()).isEqualTo(one.weight());
        double[] a = new double[sum.length];
        double[] b = new double[sum.length];
        for (int k = 0; k < sum.length; k++) {
            a[k] = sum[k] / total.weight();
            b[k] = single[k] / one.weight();
        }
        assertThat(maxAbsDiff(a, b)).isLessThan(1e-6);
    }

    @Test
    void partitionOrderAndGranularityDoNotMatter() {
        MoeModel global = new MoeModel(classification(BalanceMode.GLOBAL_TWO_PASS));
        double[] params = MoeFixtures.initParams(global, 3);
        List<List<MoeExample>> reversed = new ArrayList<>(partitions);
        java.util.Collections.reverse(reversed);
        List<List<MoeExample>> singletons = new ArrayList<>();
        for (MoeExample x : union) {
            singletons.add(List.of(x));
        }
        double[] g4 = GlobalBatchRound.run(global, params, partitions, 5, 0, null).gradient();
        assertThat(maxAbsDiff(g4, GlobalBatchRound.run(global, params, reversed, 5, 0, null).gradient()))
                .isLessThan(1e-12);
        assertThat(maxAbsDiff(g4, GlobalBatchRound.run(global, params, singletons, 5, 0, null).gradient()))
                .isLessThan(1e-12);
    }

    @Test
    void nextTokenPartitionsEqualTheUnion() {
        MoeConfig config = MoeConfig.nextToken(13).modelDim(6).layers(2).experts(4, 1).expertHidden(4)
                .lblCoeff(0.5).balance(BalanceMode.GLOBAL_TWO_PASS).domains(3).build();
        MoeModel global = new MoeModel(config);
        double[] params = MoeFixtures.initParams(global, 8);
        List<MoeExample> seqs = MoeFixtures.sortedByDomain(MoeFixtures.tokens(12, 7, 13, 3, 9));
        GlobalBatchRound.Result distributed = GlobalBatchRound.run(global, params, MoeFixtures.split(seqs, 2, 5, 5),
                5, 0, null);
        GlobalBatchRound.Result single = GlobalBatchRound.singleMachine(global, params, seqs, 5, 0);
        assertThat(distributed.weight()).isEqualTo(12 * 6.0);
        assertThat(maxAbsDiff(distributed.gradient(), single.gradient())).isLessThan(1e-12);
    }

    @Test
    void microBalancingDiffersFromGlobalWhenPartitionsDiffer() {
        MoeModel micro = new MoeModel(classification(BalanceMode.MICRO));
        MoeModel global = new MoeModel(classification(BalanceMode.GLOBAL_TWO_PASS));
        double[] params = MoeFixtures.initParams(global, 3);
        double[] gMicro = GlobalBatchRound.run(micro, params, partitions, 5, 0, null).gradient();
        double[] gGlobal = GlobalBatchRound.run(global, params, partitions, 5, 0, null).gradient();
        assertThat(maxAbsDiff(gMicro, gGlobal)).isGreaterThan(1e-3);

        // The whole difference is the balancing term: without it the two modes agree.
        MoeModel microNoLbl = new MoeModel(MoeFixtures.withLbl(classification(BalanceMode.MICRO), 0.0));
        MoeModel globalNoLbl = new MoeModel(MoeFixtures.withLbl(classification(BalanceMode.GLOBAL_TWO_PASS), 0.0));
        assertThat(maxAbsDiff(GlobalBatchRound.run(microNoLbl, params, partitions, 5, 0, null).gradient(),
                GlobalBatchRound.run(globalNoLbl, params, partitions, 5, 0, null).gradient())).isLessThan(1e-12);

        // With one partition, micro is global.
        assertThat(maxAbsDiff(GlobalBatchRound.run(micro, params, List.of(union), 5, 0, null).gradient(),
                GlobalBatchRound.run(global, params, List.of(union), 5, 0, null).gradient())).isLessThan(1e-12);
    }

    @Test
    void averagingThePartitionContributionsAgainWouldShrinkTheBalancingGradient() {
        // The LBL part of the gradient, isolated as (α = 0.5) − (α = 0): summed partitions reproduce the union's;
        // Megatron's extra 1/dp_size would give a quarter of it here.
        MoeConfig c = classification(BalanceMode.GLOBAL_TWO_PASS);
        MoeModel with = new MoeModel(c);
        MoeModel without = new MoeModel(MoeFixtures.withLbl(c, 0.0));
        double[] params = MoeFixtures.initParams(with, 3);
        double[] lblDistributed = minus(GlobalBatchRound.run(with, params, partitions, 5, 0, null).gradient(),
                GlobalBatchRound.run(without, params, partitions, 5, 0, null).gradient());
        double[] lblUnion = minus(GlobalBatchRound.singleMachine(with, params, union, 5, 0).gradient(),
                GlobalBatchRound.singleMachine(without, params, union, 5, 0).gradient());
        assertThat(MoeFixtures.maxAbs(lblUnion)).isGreaterThan(1e-2);
        assertThat(maxAbsDiff(lblDistributed, lblUnion)).isLessThan(1e-12);
        double[] averagedAgain = lblDistributed.clone();
        for (int k = 0; k < averagedAgain.length; k++) {
            averagedAgain[k] /= partitions.size();
        }
        assertThat(maxAbsDiff(averagedAgain, lblUnion)).isGreaterThan(0.5 * MoeFixtures.maxAbs(lblUnion));
    }

    private static double[] minus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = a[k] - b[k];
        }
        return out;
    }
}
