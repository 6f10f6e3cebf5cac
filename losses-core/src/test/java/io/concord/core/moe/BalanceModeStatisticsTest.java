package io.concord.core.moe;

import io.concord.core.model.BatchLoss;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.stat.GlobalStatistic;
import io.concord.core.stat.LongVectorSum;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.concord.core.moe.MoeFixtures.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** How each balance mode reads and writes the expert-count statistic. */
class BalanceModeStatisticsTest {

    private static MoeConfig config(BalanceMode mode) {
        return MoeConfig.classification(5, 3).modelDim(6).layers(2).experts(5, 2).expertHidden(4)
                .lblCoeff(0.3).balance(mode).domains(3).build();
    }

    private final List<MoeExample> data = MoeFixtures.features(36, 5, 3, 3, 17);

    @Test
    void countingPassMatchesTheLossPassAndTouchesOnlyTheCounts() {
        MoeModel model = new MoeModel(config(BalanceMode.GLOBAL_TWO_PASS));
        double[] params = MoeFixtures.initParams(model, 1);
        SimpleStepContext ctx = SimpleStepContext.of(1, 0);
        model.contributeStatistics(params, data, ctx);
        long[] counts = ctx.local(model.countStatistic());
        assertThat(ExpertCounts.tokens(counts)).isEqualTo(36);
        for (int l = 0; l < 2; l++) {
            long sum = 0;
            for (int e = 0; e < 5; e++) {
                sum += counts[l * 5 + e];
            }
            assertThat(sum).isEqualTo(2 * 36);
        }
        assertThat(ctx.local(model.tallyStatistic()).tokens()).as("counting pass leaves the tally alone").isZero();

        SimpleStepContext loss = SimpleStepContext.of(1, 0).withGlobal(model.countStatistic(), counts.clone());
        model.accumulateGradient(params, data, new double[params.length], loss);
        assertThat(ctx.local(model.tallyStatistic()).tokens()).isZero();
        assertThat(loss.local(model.tallyStatistic()).expertCounts()).isEqualTo(counts);
        assertThat(loss.local(model.countStatistic())).as("loss pass does not count twice").containsOnly(0L);
    }

    @Test
    void floatAndDoubleCountingPassesAgree() {
        MoeModel model = new MoeModel(config(BalanceMode.GLOBAL_TWO_PASS));
        float[] params = new float[model.numParams()];
        model.initParams(params, 1);
        SimpleStepContext a = SimpleStepContext.of(1, 0);
        SimpleStepContext b = SimpleStepContext.of(1, 0);
        model.contributeStatistics(params, data, a);
        model.contributeStatistics(MoeModel.toDouble(params), data, b);
        assertThat(a.local(model.countStatistic())).isEqualTo(b.local(model.countStatistic()));
    }

    @Test
    void twoPassRefusesAMissingOrForeignStatistic() {
        MoeModel model = new MoeModel(config(BalanceMode.GLOBAL_TWO_PASS));
        double[] params = MoeFixtures.initParams(model, 1);
        assertThatThrownBy(() -> model.accumulateGradient(params, data, new double[params.length],
                SimpleStepContext.of(1, 0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(ExpertCounts.NAME);
        long[] tooSmall = MoeFixtures.counts(model, params, data.subList(0, 4));
        assertThatThrownBy(() -> model.accumulateGradient(params, data, new double[params.length],
                SimpleStepContext.of(1, 0).withGlobal(model.countStatistic(), tooSmall)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not this round's statistic");
        long[] corrupt = MoeFixtures.counts(model, params, data);
        corrupt[0] += 1;
        assertThatThrownBy(() -> model.accumulateGradient(params, data, new double[params.length],
                SimpleStepContext.of(1, 0).withGlobal(model.countStatistic(), corrupt)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("K·T");
    }

    /**
     * One pass: the loss pass counts its own routing into ctx.local before it reads the merged counts, and with the
     * same merged counts its gradient and loss are bit-identical to the two-pass model's.
     */
    @Test
    void onePassCountsInTheLossPassAndEqualsTwoPassBitForBit() {
        MoeModel onePass = new MoeModel(config(BalanceMode.GLOBAL_ONE_PASS));
        MoeModel twoPass = new MoeModel(config(BalanceMode.GLOBAL_TWO_PASS));
        assertThat(onePass.countStatistic().freshness()).isEqualTo(GlobalStatistic.Freshness.IN_STEP);
        double[] params = MoeFixtures.initParams(onePass, 6);
        List<List<MoeExample>> partitions = List.of(data.subList(0, 7), data.subList(7, 20), data.subList(20, 36));
        long[] merged = MoeFixtures.counts(twoPass, params, data);
        for (List<MoeExample> batch : partitions) {
            SimpleStepContext one = SimpleStepContext.of(1, 0).withGlobal(onePass.countStatistic(), merged.clone());
            SimpleStepContext two = SimpleStepContext.of(1, 0).withGlobal(twoPass.countStatistic(), merged.clone());
            double[] g1 = new double[params.length];
            double[] g2 = new double[params.length];
            BatchLoss l1 = onePass.accumulateGradient(params, batch, g1, one);
            BatchLoss l2 = twoPass.accumulateGradient(params, batch, g2, two);
            assertThat(g1).containsExactly(g2);
            assertThat(l1.lossSum()).isEqualTo(l2.lossSum());
            assertThat(one.local(onePass.countStatistic())).as("the loss pass's own counts")
                    .containsExactly(MoeFixtures.counts(twoPass, params, batch));
        }
        // the counts differ between partitions, so reading the wrong ones would change the gradient
        double[] own = MoeFixtures.gradient(onePass, params, partitions.get(0), () -> SimpleStepContext.of(1, 0));
        double[] global = MoeFixtures.gradient(twoPass, params, partitions.get(0),
                () -> SimpleStepContext.of(1, 0).withGlobal(twoPass.countStatistic(), merged.clone()));
        assertThat(maxAbsDiff(own, global)).isGreaterThan(1e-6);
        // on one machine (nothing set) the in-step all-reduce is the batch's own counts: global = micro balancing
        double[] micro = MoeFixtures.gradient(new MoeModel(config(BalanceMode.MICRO)), params, partitions.get(0),
                () -> SimpleStepContext.of(1, 0));
        assertThat(own).containsExactly(micro);
    }

    @Test
    void runningBufferStepKUsesTheCountsOfSteps1ToK() {
        MoeModel buffer = new MoeModel(config(BalanceMode.RUNNING_BUFFER));
        MoeModel twoPass = new MoeModel(config(BalanceMode.GLOBAL_TWO_PASS));
        double[] params = MoeFixtures.initParams(buffer, 2);
        SimpleStepContext round = SimpleStepContext.of(1, 0);
        LongVectorSum stat = buffer.countStatistic();
        long[] seen = stat.zero();
        for (int k = 0; k < 3; k++) {
            List<MoeExample> step = data.subList(12 * k, 12 * k + 12);
            stat.merge(seen, MoeFixtures.counts(twoPass, params, step));
            double[] g = new double[params.length];
            buffer.accumulateGradient(params, step, g, round);
            double[] expected = MoeFixtures.gradient(twoPass, params, step,
                    () -> SimpleStepContext.of(1, 0).withGlobal(twoPass.countStatistic(), seen.clone()));
            assertThat(maxAbsDiff(g, expected)).as("step " + (k + 1)).isLessThan(1e-14);
            assertThat(round.local(stat)).isEqualTo(seen);
        }
        assertThat(buffer.statistics()).extracting(GlobalStatistic::freshness)
                .containsOnly(GlobalStatistic.Freshness.REPORT_ONLY);
    }

    @Test
    void staleUsesThePreviousRoundAndRecordsThisOne() {
        MoeModel stale = new MoeModel(config(BalanceMode.GLOBAL_STALE));
        MoeModel micro = new MoeModel(config(BalanceMode.MICRO));
        MoeModel twoPass = new MoeModel(config(BalanceMode.GLOBAL_TWO_PASS));
        double[] params = MoeFixtures.initParams(stale, 3);
        List<MoeExample> batch = data.subList(0, 10);

        SimpleStepContext first = SimpleStepContext.of(1, 0);
        double[] g0 = new double[params.length];
        stale.accumulateGradient(params, batch, g0, first);
        assertThat(maxAbsDiff(g0, MoeFixtures.gradient(micro, params, batch, () -> SimpleStepContext.of(1, 0))))
                .as("first round balances its own batch").isLessThan(1e-14);
        assertThat(first.local(stale.countStatistic()))
                .isEqualTo(MoeFixtures.counts(twoPass, params, batch));

        long[] previous = MoeFixtures.counts(twoPass, params, data.subList(10, 36));
        double[] g1 = MoeFixtures.gradient(stale, params, batch,
                () -> SimpleStepContext.of(1, 1).withGlobal(stale.countStatistic(), previous.clone()));
        double[] expected = MoeFixtures.gradient(twoPass, params, batch,
                () -> SimpleStepContext.of(1, 1).withGlobal(twoPass.countStatistic(), previous.clone()));
        assertThat(maxAbsDiff(g1, expected)).isLessThan(1e-14);
        assertThat(stale.countStatistic().freshness()).isEqualTo(GlobalStatistic.Freshness.STALE_BY_ONE_ROUND);
    }

    @Test
    void lblIsOneUnderUniformRoutingAndTheLossCarriesExactlyAlphaPerTokenAndLayer() {
        MoeConfig c = config(BalanceMode.MICRO);
        MoeModel model = new MoeModel(c);
        MoeModel noLbl = new MoeModel(MoeFixtures.withLbl(c, 0.0));
        double[] params = MoeFixtures.initParams(model, 4);
        ParamLayout lay = new ParamLayout(c);
        for (int l = 0; l < 2; l++) {
            java.util.Arrays.fill(params, lay.router[l], lay.router[l] + 5 * 6, 0.0);
        }
        SimpleStepContext ctx = SimpleStepContext.of(1, 0);
        BatchLoss with = model.accumulateGradient(params, data, new double[params.length], ctx);
        BatchLoss without = noLbl.accumulateGradient(params, data, new double[params.length],
                SimpleStepContext.of(1, 0));
        assertThat(with.lossSum() - without.lossSum()).isCloseTo(0.3 * 36 * 2, within(1e-9));
        RoutingTally tally = ctx.local(model.tallyStatistic());
        for (LayerRouting r : tally.layers()) {
            assertThat(r.lbl()).isCloseTo(1.0, within(1e-12));
            // Ties go to the lowest indices: every token picks experts 0 and 1.
            assertThat(r.imbalance()).isCloseTo(5.0 / 2.0, within(1e-12));
            assertThat(r.meanTopKScoreSum()).isCloseTo(2.0 / 5.0, within(1e-12));
        }
    }

    @Test
    void microRegistersOnlyTheTally() {
        assertThat(new MoeModel(config(BalanceMode.MICRO)).statistics()).extracting(GlobalStatistic::name)
                .containsExactly(RoutingTallyStatistic.NAME);
        assertThat(new MoeModel(config(BalanceMode.GLOBAL_TWO_PASS)).statistics()).extracting(GlobalStatistic::name)
                .containsExactly(ExpertCounts.NAME, RoutingTallyStatistic.NAME);
        assertThat(new MoeModel(config(BalanceMode.GLOBAL_TWO_PASS)).countStatistic().freshness())
                .isEqualTo(GlobalStatistic.Freshness.TWO_PASS);
    }

    @Test
    void aDoubleCountedPartitionIsCaughtAgainstTheLossPassWeight() {
        MoeModel model = new MoeModel(config(BalanceMode.GLOBAL_TWO_PASS));
        double[] params = MoeFixtures.initParams(model, 5);
        GlobalBatchRound.Result round = GlobalBatchRound.run(model, params,
                List.of(data.subList(0, 10), data.subList(10, 36)), 1, 0, null);
        ExpertCounts.checkCovers(round.expertCounts(), round.weight());
        long[] retriedTwice = model.countStatistic().merge(round.expertCounts().clone(),
                MoeFixtures.counts(model, params, data.subList(0, 10)));
        assertThatThrownBy(() -> ExpertCounts.checkCovers(retriedTwice, round.weight()))
                .hasMessageContaining("counted twice");
    }

    @Test
    void routerZLossMatchesTheT5xTestVector() {
        // losses-and-optimizers.md §5b: logits [1, 2, 3], coeff 1e-4 → log Z = 3.407606, z-term = 0.00116118.
        // One MoE layer of width 1 whose input is the token embedding 1.0 and router weights [1, 2, 3].
        MoeConfig base = MoeConfig.nextToken(2).modelDim(1).experts(3, 1).expertHidden(1).lblCoeff(0.0)
                .balance(BalanceMode.MICRO).build();
        MoeModel withZ = new MoeModel(MoeConfig.nextToken(2).modelDim(1).experts(3, 1).expertHidden(1).lblCoeff(0.0)
                .zLossCoeff(1e-4).balance(BalanceMode.MICRO).build());
        MoeModel noZ = new MoeModel(base);
        ParamLayout lay = new ParamLayout(base);
        double[] params = new double[noZ.numParams()];
        params[lay.inputWeights] = 1.0;
        params[lay.router[0]] = 1.0;
        params[lay.router[0] + 1] = 2.0;
        params[lay.router[0] + 2] = 3.0;
        List<MoeExample> one = List.of(MoeExample.tokens(new int[] {0, 1}, 0));
        double[] gz = new double[params.length];
        double[] g0 = new double[params.length];
        double diff = withZ.accumulateGradient(params, one, gz, SimpleStepContext.of(1, 0)).lossSum()
                - noZ.accumulateGradient(params, one, g0, SimpleStepContext.of(1, 0)).lossSum();
        assertThat(diff).isCloseTo(0.00116118, within(5e-9));
        // ∂(c·lse²)/∂z = 2c·lse·softmax(z); the router weight gradient is that times the input 1.0.
        double[] softmax = {0.09003057, 0.24472847, 0.66524096};
        for (int e = 0; e < 3; e++) {
            assertThat(gz[lay.router[0] + e] - g0[lay.router[0] + e])
                    .isCloseTo(2e-4 * 3.40760596 * softmax[e], within(1e-10));
        }
    }
}
