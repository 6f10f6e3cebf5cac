package io.concord.core.pref;

import io.concord.core.model.BatchLoss;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Pair losses against the formulas of the reference (§C): one hand-computed value each (lp_w = −10, lp_l = −12,
 * lpr_w = −11, lpr_l = −11.5, |y_w| = 4, |y_l| = 5, so z = 1.5) and finite-difference gradients at random points.
 */
class PairLossesTest {

    private static final LogProbBatch ONE = LogProbBatch.pairs(new double[] {-10.0}, new double[] {-12.0},
            new int[] {4}, new int[] {5}, new double[] {-11.0}, new double[] {-11.5});

    private static LogProbBatch randomPairs(long seed, int pairs, int frozen) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[pairs];
        double[] l = new double[pairs];
        int[] nw = new int[pairs];
        int[] nl = new int[pairs];
        double[][] f = new double[2 * frozen][pairs];
        for (int i = 0; i < pairs; i++) {
            nw[i] = 1 + r.nextInt(30);
            nl[i] = 1 + r.nextInt(30);
            w[i] = -nw[i] * (0.5 + 2 * r.nextDouble());
            l[i] = -nl[i] * (0.5 + 2 * r.nextDouble());
            for (int k = 0; k < f.length; k++) {
                f[k][i] = (k % 2 == 0 ? w[i] : l[i]) + 4 * (r.nextDouble() - 0.5);
            }
        }
        return LogProbBatch.pairs(w, l, nw, nl, f);
    }

    @Test
    void dpoValueIsMinusLogSigmoidOfBetaZ() {
        // −log σ(0.1·1.5)
        assertThat(GradientCheck.value(new DpoLoss(0.1, 0.0), ONE).lossSum()).isCloseTo(0.620957047789532, within(1e-12));
        // −0.8·log σ(0.15) − 0.2·log σ(−0.15)
        assertThat(GradientCheck.value(new DpoLoss(0.1, 0.2), ONE).lossSum()).isCloseTo(0.6509570477895321, within(1e-12));
        double[] g = new double[2];
        new DpoLoss(0.1, 0.0).valueAndGradient(ONE, g);
        double expected = -0.1 * (1 - 1 / (1 + Math.exp(-0.15)));
        assertThat(g[0]).isCloseTo(expected, within(1e-15));
        assertThat(g[1]).isCloseTo(-expected, within(1e-15));
    }

    @Test
    void robustValueAndReductionToDpo() {
        // [−0.8·log σ(0.15) + 0.2·log σ(−0.15)] / 0.6
        assertThat(GradientCheck.value(new RobustDpoLoss(0.1, 0.2), ONE).lossSum())
                .isCloseTo(0.5709570477895319, within(1e-12));
        LogProbBatch b = randomPairs(3, 5, 1);
        double[] g1 = new double[b.size()];
        double[] g2 = new double[b.size()];
        double v1 = new RobustDpoLoss(0.3, 0.0).valueAndGradient(b, g1).lossSum();
        double v2 = new DpoLoss(0.3, 0.0).valueAndGradient(b, g2).lossSum();
        assertThat(v1).isEqualTo(v2);
        assertThat(g1).containsExactly(g2);
    }

    @Test
    void ipoHingeSigmoidNormValues() {
        // h = 1/4 − (−0.5)/5 − 1/(2·0.1) = −4.65
        assertThat(GradientCheck.value(new IpoLoss(0.1), ONE).lossSum()).isCloseTo(21.6225, within(1e-12));
        assertThat(GradientCheck.value(new HingeLoss(0.1), ONE).lossSum()).isCloseTo(0.85, within(1e-12));
        assertThat(GradientCheck.value(new HingeLoss(1.0), ONE).lossSum()).isZero();
        double[] g = new double[2];
        new HingeLoss(1.0).valueAndGradient(ONE, g);
        assertThat(g).containsExactly(0.0, 0.0);
        // −log σ(0.1·(0.25 + 0.1))
        assertThat(GradientCheck.value(new SigmoidNormLoss(0.1), ONE).lossSum())
                .isCloseTo(0.6758002977448283, within(1e-12));
    }

    @Test
    void rpoVariants() {
        // handbook: −log σ(0.01·1.5) − 0.005·0.01·(−10)
        assertThat(GradientCheck.value(new RpoLoss(RpoLoss.Variant.HANDBOOK, 0.01, 0.005), ONE).lossSum())
                .isCloseTo(0.6861753052962775, within(1e-12));
        // OpenRLHF: −log σ(0.5·1.5) + 0.2·(10/4)
        assertThat(GradientCheck.value(new RpoLoss(RpoLoss.Variant.OPENRLHF, 0.5, 0.2), ONE).lossSum())
                .isCloseTo(0.8868710061148999, within(1e-12));
    }

    @Test
    void simpoIsReferenceFreeOnTokenAverages() {
        // u = −10/4 − (−12/5) − 0.25 = −0.35; −log σ(2·u)
        assertThat(GradientCheck.value(new SimpoLoss(2.0, 0.25, 0.0, 0.0), ONE).lossSum())
                .isCloseTo(1.1031860488854581, within(1e-12));
        // β = 2.5, γ/β = 0.55, ε = 0.1, sft weight 0.3 adds 0.3·(10/4)
        assertThat(GradientCheck.value(new SimpoLoss(2.5, 0.55, 0.1, 0.3), ONE).lossSum())
                .isCloseTo(2.3922446353856595, within(1e-12));
        LogProbBatch noReference = LogProbBatch.pairs(new double[] {-10.0}, new double[] {-12.0}, new int[] {4},
                new int[] {5});
        assertThat(GradientCheck.value(new SimpoLoss(2.0, 0.25, 0.0, 0.0), noReference).lossSum())
                .isCloseTo(1.1031860488854581, within(1e-12));
    }

    @Test
    void inpoValueAndIpoLimit() {
        LogProbBatch b = LogProbBatch.pairs(new double[] {-10.0}, new double[] {-12.0}, new int[] {4}, new int[] {5},
                new double[] {-11.0}, new double[] {-11.5}, new double[] {-10.5}, new double[] {-11.8});
        // h = 2 − 2·0.5 − (−1)·1.3 = 2.3; (2.3 − 10)²
        assertThat(GradientCheck.value(new InpoLoss(0.1, 0.05), b).lossSum()).isCloseTo(59.29, within(1e-10));
        // τ = η: h = z whatever π_t is, so the loss is (z − 1/(2η))²
        LogProbBatch r = randomPairs(11, 4, 2);
        BatchLoss v = GradientCheck.value(new InpoLoss(0.2, 0.2), r);
        double expected = 0.0;
        for (int p = 0; p < 4; p++) {
            double z = (r.policy(2 * p) - r.frozen(0, 2 * p)) - (r.policy(2 * p + 1) - r.frozen(0, 2 * p + 1));
            expected += (z - 2.5) * (z - 2.5);
        }
        assertThat(v.lossSum()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void finiteDifferenceGradients() {
        LogProbBatch b = randomPairs(7, 6, 2);
        SequenceObjective[] losses = {
            new DpoLoss(0.1, 0.0), new DpoLoss(0.5, 0.3), new RobustDpoLoss(0.2, 0.25), new IpoLoss(0.1),
            new IpoLoss(2.0), new HingeLoss(0.05), new SigmoidNormLoss(0.7),
            new RpoLoss(RpoLoss.Variant.HANDBOOK, 0.01, 0.005), new RpoLoss(RpoLoss.Variant.OPENRLHF, 0.5, 0.2),
            new SimpoLoss(2.0, 0.25, 0.0, 0.0), new SimpoLoss(2.5, 0.55, 0.2, 0.4), new InpoLoss(0.1, 0.05),
        };
        for (SequenceObjective loss : losses) {
            GradientCheck.assertGradient(loss, b);
            assertThat(GradientCheck.value(loss, b).weight()).isEqualTo(6.0);
        }
    }

    @Test
    void lossSumIsTheSumOfPerPairLosses() {
        LogProbBatch b = randomPairs(5, 3, 1);
        double whole = GradientCheck.value(new DpoLoss(0.1, 0.0), b).lossSum();
        double parts = 0.0;
        for (int p = 0; p < 3; p++) {
            LogProbBatch one = LogProbBatch.pairs(new double[] {b.policy(2 * p)}, new double[] {b.policy(2 * p + 1)},
                    new int[] {b.tokens(2 * p)}, new int[] {b.tokens(2 * p + 1)},
                    new double[] {b.frozen(0, 2 * p)}, new double[] {b.frozen(0, 2 * p + 1)});
            parts += GradientCheck.value(new DpoLoss(0.1, 0.0), one).lossSum();
        }
        assertThat(whole).isCloseTo(parts, within(1e-12));
    }

    @Test
    void malformedGroupsAreRejected() {
        LogProbBatch triple = new LogProbBatch(new int[] {0, 3}, new double[] {-1, -2, -3}, new int[] {1, 1, 1},
                new double[][] {{-1, -2, -3}}, new double[] {1, 0, 0});
        assertThatThrownBy(() -> GradientCheck.value(new DpoLoss(0.1, 0), triple))
                .hasMessageContaining("group 0 has 3 sequences");
        LogProbBatch swapped = new LogProbBatch(new int[] {0, 2}, new double[] {-1, -2}, new int[] {1, 1},
                new double[][] {{-1, -2}}, new double[] {0, 1});
        assertThatThrownBy(() -> GradientCheck.value(new DpoLoss(0.1, 0), swapped))
                .hasMessageContaining("not [chosen, rejected]");
        LogProbBatch noRef = LogProbBatch.pairs(new double[] {-1}, new double[] {-2}, new int[] {1}, new int[] {1});
        assertThatThrownBy(() -> GradientCheck.value(new IpoLoss(0.1), noRef))
                .hasMessageContaining("needs log-probabilities of 1 frozen model");
    }
}
