package io.concord.core.pref;

import io.concord.core.model.BatchLoss;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** SFT and the unlearning objectives (NPO, gradient ascent, retain CE/KL) against the reference formulas (§C.2). */
class SequenceLossesTest {

    @Test
    void sftNormalizations() {
        LogProbBatch b = new LogProbBatch(new int[] {0, 1, 2}, new double[] {-6.0, -3.0}, new int[] {3, 1},
                new double[0][], new double[] {1, 1});
        BatchLoss tokenMean = GradientCheck.value(new SftLoss(SftLoss.Normalization.TOKEN_MEAN), b);
        assertThat(tokenMean.lossSum()).isEqualTo(9.0);
        assertThat(tokenMean.weight()).isEqualTo(4.0);
        assertThat(tokenMean.meanLoss()).isEqualTo(2.25);
        BatchLoss seqMean = GradientCheck.value(new SftLoss(SftLoss.Normalization.SEQUENCE_MEAN), b);
        assertThat(seqMean.lossSum()).isEqualTo(5.0);
        assertThat(seqMean.weight()).isEqualTo(2.0);
        assertThat(GradientCheck.value(new SftLoss(SftLoss.Normalization.SEQUENCE_SUM), b).lossSum()).isEqualTo(9.0);
        for (SftLoss.Normalization n : SftLoss.Normalization.values()) {
            GradientCheck.assertGradient(new SftLoss(n), b);
        }
    }

    private static LogProbBatch forgetRetain() {
        // group 0: forget lp −20 (ref −18, 10 tokens), retain lp −8 (ref −9, 4 tokens); group 1: forget −5 (ref −7, 5)
        // and retain −12 (ref −12, 6)
        return new LogProbBatch(new int[] {0, 2, 4}, new double[] {-20, -8, -5, -12}, new int[] {10, 4, 5, 6},
                new double[][] {{-18, -9, -7, -12}}, new double[] {0, 1, 0, 1});
    }

    @Test
    void npoValue() {
        LogProbBatch one = new LogProbBatch(new int[] {0, 1}, new double[] {-20.0}, new int[] {10},
                new double[][] {{-18.0}}, new double[] {0});
        // −(2/0.1)·log σ(−0.1·(−20 + 18))
        BatchLoss v = GradientCheck.value(new UnlearningLoss(UnlearningLoss.ForgetTerm.NPO,
                UnlearningLoss.RetainTerm.NONE, 0.1, 1.0, 1.0), one);
        assertThat(v.lossSum()).isCloseTo(11.962777387631835, within(1e-12));
        // gradient 2·σ(βΔ): ascent on the NLL, bounded by 2 (NPO's adaptive weight)
        double[] g = new double[1];
        new UnlearningLoss(UnlearningLoss.ForgetTerm.NPO, UnlearningLoss.RetainTerm.NONE, 0.1, 1.0, 1.0)
                .valueAndGradient(one, g);
        assertThat(g[0]).isCloseTo(2.0 / (1.0 + Math.exp(0.2)), within(1e-15));
    }

    @Test
    void npoApproachesGradientAscentForSmallBeta() {
        // (2/β)·softplus(βΔ) = 2·log 2 / β + Δ + O(β): the gradient tends to 1 = d lp / d lp of plain ascent on the sum
        LogProbBatch b = forgetRetain();
        double[] g = new double[4];
        new UnlearningLoss(UnlearningLoss.ForgetTerm.NPO, UnlearningLoss.RetainTerm.NONE, 1e-6, 1.0, 1.0)
                .valueAndGradient(b, g);
        assertThat(g[0]).isCloseTo(1.0, within(1e-5));
        assertThat(g[2]).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void retainTermsAndGradientAscent() {
        LogProbBatch b = forgetRetain();
        BatchLoss ce = GradientCheck.value(new UnlearningLoss(UnlearningLoss.ForgetTerm.GRADIENT_ASCENT,
                UnlearningLoss.RetainTerm.CE, 1.0, 1.0, 0.5), b);
        // forget: −20/10 + −5/5 ; retain: 0.5·(8/4 + 12/6)
        assertThat(ce.lossSum()).isCloseTo(-3.0 + 2.0, within(1e-12));
        assertThat(ce.weight()).isEqualTo(2.0);
        UnlearningLoss kl = new UnlearningLoss(UnlearningLoss.ForgetTerm.NPO, UnlearningLoss.RetainTerm.KL, 0.1, 1.0,
                0.7);
        assertThat(kl.tokenKlCoefficients(b.groupOffsets())).containsExactly(0.0, 0.7, 0.0, 0.7);
        double[] g = new double[4];
        kl.valueAndGradient(b, g);
        assertThat(g[1]).isZero();
        assertThat(g[3]).isZero();
        assertThat(new UnlearningLoss(UnlearningLoss.ForgetTerm.NPO, UnlearningLoss.RetainTerm.CE, 0.1, 1, 1)
                .tokenKlCoefficients(b.groupOffsets())).isNull();
        for (UnlearningLoss.ForgetTerm f : UnlearningLoss.ForgetTerm.values()) {
            for (UnlearningLoss.RetainTerm r : UnlearningLoss.RetainTerm.values()) {
                GradientCheck.assertGradient(new UnlearningLoss(f, r, 0.3, 1.3, 0.6), b);
            }
        }
    }

    @Test
    void retainTermNeedsARetainSequence() {
        LogProbBatch forgetOnly = new LogProbBatch(new int[] {0, 1}, new double[] {-20.0}, new int[] {10},
                new double[][] {{-18.0}}, new double[] {0});
        assertThatThrownBy(() -> GradientCheck.value(new UnlearningLoss(UnlearningLoss.ForgetTerm.NPO,
                UnlearningLoss.RetainTerm.CE, 0.1, 1, 1), forgetOnly))
                .hasMessageContaining("group 0 has 1 sequences; expected [forget, retain]");
    }
}
