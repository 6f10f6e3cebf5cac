package io.concord.core.pref;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GradientEntanglementTest {

    @Test
    void handComputedStatistics() {
        // g_w = (3, 4), g_l = (4, 3): inner 24, norms 5 and 5, cosine 0.96, ratios 0.96
        GradientEntanglement e = GradientEntanglement.of(new double[] {3, 4}, new double[] {4, 3});
        assertThat(e.inner()).isEqualTo(24.0);
        assertThat(e.normChosen()).isEqualTo(5.0);
        assertThat(e.normRejected()).isEqualTo(5.0);
        assertThat(e.cosine()).isCloseTo(0.96, within(1e-15));
        assertThat(e.ratioChosen()).isCloseTo(0.96, within(1e-15));
        assertThat(e.entangled()).isFalse();
    }

    @Test
    void ratiosUseTheirOwnNormAndConditionUsesTheSmallerOne() {
        // g_w = (1, 0), g_l = (2, 2): inner 2, ‖g_w‖² = 1, ‖g_l‖² = 8
        GradientEntanglement e = GradientEntanglement.of(new float[] {1, 0}, new float[] {2, 2});
        assertThat(e.ratioChosen()).isEqualTo(2.0);
        assertThat(e.ratioRejected()).isEqualTo(0.25);
        assertThat(e.condition()).isEqualTo(2.0);
        assertThat(e.entangled()).isTrue();
        // DPO step (d_w = d_l): chosen falls since 2 > 1; the rejected does not rise since 0.25 < 1
        assertThat(e.chosenFalls(1, 1)).isTrue();
        assertThat(e.rejectedRises(1, 1)).isFalse();
        // SimPO-like weights d_w = 1/10, d_l = 1/40: chosen falls iff 2 > 4 (no); rejected rises iff 0.25 > 0.25 (no)
        assertThat(e.chosenFalls(0.1, 0.025)).isFalse();
        assertThat(e.rejectedRises(0.1, 0.025)).isFalse();
    }

    @Test
    void firstOrderReadingMatchesAnActualStepOnALinearModel() {
        // lp_w(θ) = ⟨g_w, θ⟩, lp_l(θ) = ⟨g_l, θ⟩: a step θ −= η·∇L with ∇L = −(d_w g_w − d_l g_l) changes lp_w by
        // η·(d_w‖g_w‖² − d_l⟨g_w,g_l⟩) exactly
        double[] gw = {1, 0.5, -0.2};
        double[] gl = {1.5, 0.7, 0.1};
        GradientEntanglement e = GradientEntanglement.of(gw, gl);
        double eta = 0.1;
        double dChange = 0.0;
        double lChange = 0.0;
        for (int i = 0; i < 3; i++) {
            double step = eta * (gw[i] - gl[i]);
            dChange += gw[i] * step;
            lChange += gl[i] * step;
        }
        assertThat(dChange < 0).isEqualTo(e.chosenFalls(1, 1));
        assertThat(lChange > 0).isEqualTo(e.rejectedRises(1, 1));
        assertThat(dChange).isLessThan(0.0);
    }

    @Test
    void summaryMeansAndMerge() {
        EntanglementSummary a = new EntanglementSummary().add(GradientEntanglement.of(new double[] {3, 4},
                new double[] {4, 3}));
        EntanglementSummary b = new EntanglementSummary().add(GradientEntanglement.of(new double[] {1, 0},
                new double[] {2, 2}));
        a.merge(b);
        assertThat(a.count()).isEqualTo(2);
        assertThat(a.mean(EntanglementSummary.INNER)).isEqualTo(13.0);
        assertThat(a.mean(EntanglementSummary.ENTANGLED)).isEqualTo(0.5);
        assertThat(new EntanglementSummary().mean(EntanglementSummary.INNER)).isNaN();
    }
}
