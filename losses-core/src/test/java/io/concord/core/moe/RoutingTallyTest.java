package io.concord.core.moe;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RoutingTallyTest {

    /** A one-layer trace with the given probabilities; top-K as the router would pick it. */
    private static MoeNetwork.Trace trace(MoeConfig c, double... probs) {
        MoeNetwork.Trace t = new MoeNetwork.Trace(c);
        t.probs[0] = probs;
        t.logSumExp[0] = 0.5;
        MoeNetwork.selectTopK(probs, t.top[0]);
        return t;
    }

    private static MoeConfig config(int experts, int topK, int domains) {
        return MoeConfig.classification(2, 2).experts(experts, topK).domains(domains).build();
    }

    @Test
    void perfectSpecialisationWithPerfectGlobalBalance() {
        MoeConfig c = config(8, 2, 4);
        RoutingTally tally = RoutingTally.empty(c);
        for (int d = 0; d < 4; d++) {
            double[] p = new double[8];
            java.util.Arrays.fill(p, 0.05);
            p[2 * d] = 0.4;
            p[2 * d + 1] = 0.3;
            for (int rep = 0; rep < 3; rep++) {
                tally.add(trace(c, p), d, false, 0, false);
            }
        }
        LayerRouting r = tally.layer(0);
        assertThat(r.mutualInformation()).isCloseTo(Math.log(4), within(1e-12));
        assertThat(r.normalizedMutualInformation()).isCloseTo(1.0, within(1e-12));
        assertThat(r.imbalance()).as("every expert gets 1/8 of the selections").isCloseTo(1.0, within(1e-12));
        // f_i = 1/8 for all i, so LBL = 8 · Σ_i (1/8)·P_i = Σ_i P_i = 1.
        assertThat(r.lbl()).isCloseTo(1.0, within(1e-12));
        assertThat(r.meanTopKScoreSum()).isCloseTo(0.7, within(1e-12));
        assertThat(r.meanZLoss()).isCloseTo(0.25, within(1e-12));
        for (int d = 0; d < 4; d++) {
            assertThat(r.domainFrequency()[d][2 * d]).isEqualTo(1.0);
            assertThat(r.domainFrequency()[d][2 * d + 1]).isEqualTo(1.0);
            assertThat(java.util.Arrays.stream(r.domainFrequency()[d]).sum()).isEqualTo(2.0);
        }
        assertThat(java.util.Arrays.stream(r.selectionFrequency()).sum()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void identicalRoutingInEveryDomainCarriesNoInformation() {
        MoeConfig c = config(4, 1, 3);
        RoutingTally tally = RoutingTally.empty(c);
        for (int d = 0; d < 3; d++) {
            tally.add(trace(c, 0.7, 0.1, 0.1, 0.1), d, false, 0, false);
            tally.add(trace(c, 0.1, 0.1, 0.7, 0.1), d, false, 0, false);
        }
        assertThat(tally.layer(0).mutualInformation()).isCloseTo(0.0, within(1e-15));
    }

    @Test
    void mutualInformationAndLblOfAWorkedExample() {
        // Joint counts n = [[3, 0], [1, 2]] (domain × expert), K = 1: p(d) = (1/2, 1/2), p(i) = (2/3, 1/3).
        // I = ½·ln(½ / (½·⅔)) + ⅙·ln(⅙ / (½·⅔)) + ⅓·ln(⅓ / (½·⅓)) = ½·ln 1.5 + ⅙·ln 2.
        MoeConfig c = config(2, 1, 2);
        RoutingTally tally = RoutingTally.empty(c);
        for (int k = 0; k < 3; k++) {
            tally.add(trace(c, 0.9, 0.1), 0, false, 0, false);
        }
        tally.add(trace(c, 0.6, 0.4), 1, false, 0, false);
        tally.add(trace(c, 0.2, 0.8), 1, false, 0, false);
        tally.add(trace(c, 0.2, 0.8), 1, false, 0, false);
        LayerRouting r = tally.layer(0);
        assertThat(r.mutualInformation()).isCloseTo(0.5 * Math.log(1.5) + Math.log(2) / 6, within(1e-12));
        // f = (4/6, 2/6); P = (3.7/6, 2.3/6); LBL = 2·(4·3.7 + 2·2.3)/36 = 38.8/36.
        assertThat(r.lbl()).isCloseTo(38.8 / 36.0, within(1e-12));
        assertThat(r.imbalance()).isCloseTo(2 * 4.0 / 6.0, within(1e-12));
        assertThat(r.domainMeanTopKScoreSum()[0]).isCloseTo(0.9, within(1e-12));
        assertThat(r.domainMeanTopKScoreSum()[1]).isCloseTo(2.2 / 3, within(1e-12));
    }

    @Test
    void unknownDomainsCountOnlyInTheTotals() {
        MoeConfig c = config(2, 1, 1);
        RoutingTally tally = RoutingTally.empty(c);
        tally.add(trace(c, 0.9, 0.1), 0, false, 0, false);
        tally.add(trace(c, 0.1, 0.9), MoeExample.UNKNOWN_DOMAIN, false, 0, false);
        tally.add(trace(c, 0.1, 0.9), 5, false, 0, false);
        assertThat(tally.tokens()).isEqualTo(3);
        assertThat(tally.domainTokens(0)).isEqualTo(1);
        assertThat(tally.count(0, 1)).isEqualTo(2);
        assertThat(tally.layer(0).domainFrequency()[0]).containsExactly(1.0, 0.0);
    }

    @Test
    void tallyOfPartsMergesIntoTheTallyOfTheUnion() {
        MoeConfig c = MoeConfig.nextToken(11).modelDim(6).layers(2).experts(4, 2).expertHidden(4).domains(3).build();
        MoeModel model = new MoeModel(c);
        float[] params = new float[model.numParams()];
        model.initParams(params, 9);
        List<MoeExample> data = MoeFixtures.tokens(10, 6, 11, 3, 10);
        RoutingTally whole = model.evaluate(params, data);
        RoutingTally parts = model.evaluate(params, data.subList(6, 10))
                .merge(model.evaluate(params, data.subList(0, 6)));
        assertThat(parts.tokens()).isEqualTo(50);
        assertThat(parts.expertCounts()).isEqualTo(whole.expertCounts());
        assertThat(parts.meanTaskLoss()).isCloseTo(whole.meanTaskLoss(), within(1e-12));
        assertThat(parts.accuracy()).isEqualTo(whole.accuracy());
        for (int l = 0; l < 2; l++) {
            LayerRouting a = parts.layer(l);
            LayerRouting b = whole.layer(l);
            assertThat(a.lbl()).isCloseTo(b.lbl(), within(1e-12));
            assertThat(a.mutualInformation()).isCloseTo(b.mutualInformation(), within(1e-12));
            assertThat(a.domainFrequency()).isDeepEqualTo(b.domainFrequency());
        }
    }

    @Test
    void copiesAreIndependentAndShapesMustMatch() {
        MoeConfig c = config(2, 1, 1);
        RoutingTallyStatistic stat = new RoutingTallyStatistic(c);
        RoutingTally a = stat.zero();
        a.add(trace(c, 0.9, 0.1), 0, false, 0, false);
        RoutingTally b = stat.copy(a);
        a.add(trace(c, 0.9, 0.1), 0, false, 0, false);
        assertThat(b.tokens()).isEqualTo(1);
        assertThat(stat.merge(b, a).tokens()).isEqualTo(3);
        assertThatThrownBy(() -> a.merge(RoutingTally.empty(config(3, 1, 1))))
                .hasMessageContaining("different shapes");
    }
}
