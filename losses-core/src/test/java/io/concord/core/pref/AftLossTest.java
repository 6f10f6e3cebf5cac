package io.concord.core.pref;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** AFT constraint alignment (§B; secondary sources) on token-averaged scores. */
class AftLossTest {

    /** Positives s = −1.0, −1.6; negatives s = −1.3, −2.1; lengths 2, 5, 3, 4 (lp = s·|c|). */
    private static LogProbBatch group() {
        return new LogProbBatch(new int[] {0, 4}, new double[] {-2.0, -8.0, -3.9, -8.4}, new int[] {2, 5, 3, 4},
                new double[0][], new double[] {1, 1, 0, 0});
    }

    private static LogProbBatch random(long seed, int groups, boolean ranked) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] offsets = new int[groups + 1];
        int n = 0;
        int[] sizes = new int[groups];
        for (int g = 0; g < groups; g++) {
            sizes[g] = 2 + r.nextInt(5);
            n += sizes[g];
            offsets[g + 1] = n;
        }
        double[] lp = new double[n];
        int[] len = new int[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            len[i] = 1 + r.nextInt(20);
            lp[i] = -len[i] * (0.2 + 2 * r.nextDouble());
            scores[i] = ranked ? r.nextInt(4) : r.nextInt(2);
        }
        return new LogProbBatch(offsets, lp, len, new double[0][], scores);
    }

    @Test
    void handComputedValues() {
        // log(1 + Σ_p Σ_n exp(s_n − s_p))
        assertThat(GradientCheck.value(new AftLoss(AftLoss.Variant.LA, Double.NaN, true, 0), group()).lossSum())
                .isCloseTo(1.3937859220872755, within(1e-12));
        assertThat(GradientCheck.value(new AftLoss(AftLoss.Variant.DC, Double.NaN, true, 0), group()).lossSum())
                .isCloseTo(1.3937859220872755, within(1e-12));
        // + Σ_p Σ_n exp(2·s* − 2β − s_p − s_n), s* = −1.6, β = 0.1
        assertThat(GradientCheck.value(new AftLoss(AftLoss.Variant.BC, 0.1, true, 0), group()).lossSum())
                .isCloseTo(1.9544673661764127, within(1e-12));
    }

    @Test
    void detachedConstraintNeverPushesNegatives() {
        double[] la = new double[4];
        double[] dc = new double[4];
        new AftLoss(AftLoss.Variant.LA, Double.NaN, true, 0).valueAndGradient(group(), la);
        new AftLoss(AftLoss.Variant.DC, Double.NaN, true, 0).valueAndGradient(group(), dc);
        assertThat(dc[2]).isZero();
        assertThat(dc[3]).isZero();
        assertThat(la[2]).isPositive();
        assertThat(dc[0]).isEqualTo(la[0]);
        assertThat(dc[1]).isEqualTo(la[1]);
    }

    @Test
    void boundaryGradientOnTheNegativeVanishesAtTheBoundary() {
        double beta = 0.3;
        double sp = -1.2;
        double atBoundary = sp - beta;
        for (double sn : new double[] {atBoundary - 0.5, atBoundary, atBoundary + 0.5}) {
            LogProbBatch b = new LogProbBatch(new int[] {0, 2}, new double[] {sp * 3, sn * 2}, new int[] {3, 2},
                    new double[0][], new double[] {1, 0});
            double[] g = new double[2];
            new AftLoss(AftLoss.Variant.BC, beta, true, 0).valueAndGradient(b, g);
            if (sn == atBoundary) {
                assertThat(g[1]).isCloseTo(0.0, within(1e-15));
            } else {
                // below the boundary the negative is pushed up (gradient < 0), above it down
                assertThat(Math.signum(g[1])).isEqualTo(sn < atBoundary ? -1.0 : 1.0);
            }
        }
    }

    @Test
    void rankingWithTwoLevelsIsTheBoundaryLossAndThreeLevelsSumTheCuts() {
        LogProbBatch b = random(9, 6, false);
        double[] g1 = new double[b.size()];
        double[] g2 = new double[b.size()];
        double v1 = new AftLoss(AftLoss.Variant.RANK, 0.2, true, 0).valueAndGradient(b, g1).lossSum();
        double v2 = new AftLoss(AftLoss.Variant.BC, 0.2, true, 0).valueAndGradient(b, g2).lossSum();
        assertThat(v1).isCloseTo(v2, within(1e-12));
        for (int i = 0; i < g1.length; i++) {
            assertThat(g1[i]).isCloseTo(g2[i], within(1e-12));
        }
        // scores 2, 1, 0: cut {2} vs {1, 0} plus cut {2, 1} vs {0}
        LogProbBatch three = new LogProbBatch(new int[] {0, 3}, new double[] {-1.0, -1.5, -1.1}, new int[] {1, 1, 1},
                new double[0][], new double[] {2, 1, 0});
        LogProbBatch cutHigh = new LogProbBatch(new int[] {0, 3}, new double[] {-1.0, -1.5, -1.1}, new int[] {1, 1, 1},
                new double[0][], new double[] {1, 0, 0});
        LogProbBatch cutLow = new LogProbBatch(new int[] {0, 3}, new double[] {-1.0, -1.5, -1.1}, new int[] {1, 1, 1},
                new double[0][], new double[] {1, 1, 0});
        AftLoss bc = new AftLoss(AftLoss.Variant.BC, 0.2, true, 0);
        assertThat(GradientCheck.value(new AftLoss(AftLoss.Variant.RANK, 0.2, true, 0), three).lossSum())
                .isCloseTo(GradientCheck.value(bc, cutHigh).lossSum() + GradientCheck.value(bc, cutLow).lossSum(),
                        within(1e-12));
    }

    @Test
    void finiteDifferenceGradients() {
        LogProbBatch binary = random(21, 5, false);
        LogProbBatch ranked = random(22, 5, true);
        GradientCheck.assertGradient(new AftLoss(AftLoss.Variant.LA, Double.NaN, true, 0.0), binary);
        GradientCheck.assertGradient(new AftLoss(AftLoss.Variant.LA, Double.NaN, true, 0.5), binary);
        GradientCheck.assertGradient(new AftLoss(AftLoss.Variant.BC, 0.15, false, 0.0), binary);
        GradientCheck.assertGradient(new AftLoss(AftLoss.Variant.BC, 0.15, false, 0.5), binary);
        GradientCheck.assertGradient(new AftLoss(AftLoss.Variant.RANK, 0.15, false, 0.5), ranked);
    }

    /**
     * Detached variants are not gradients of their value: check them by finite differences of a brute-force double
     * sum in which the detached quantities (s_n for DC, T_p for BC) are frozen at the unperturbed point.
     */
    @Test
    void detachedGradientsAreFiniteDifferencesWithDetachedTermsFrozen() {
        checkFrozen(new AftLoss(AftLoss.Variant.DC, Double.NaN, true, 0.0), random(31, 5, false), 0.0, false);
        checkFrozen(new AftLoss(AftLoss.Variant.BC, 0.15, true, 0.0), random(32, 5, false), 0.15, false);
        checkFrozen(new AftLoss(AftLoss.Variant.RANK, 0.15, true, 0.0), random(33, 5, true), 0.15, true);
    }

    private static void checkFrozen(AftLoss loss, LogProbBatch b, double beta, boolean ranked) {
        double[] grad = new double[b.size()];
        loss.valueAndGradient(b, grad);
        double h = 1e-6;
        for (int i = 0; i < b.size(); i++) {
            double[] plus = b.policyCopy();
            double[] minus = b.policyCopy();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (bruteForce(loss.variant(), b, plus, beta, ranked)
                    - bruteForce(loss.variant(), b, minus, beta, ranked)) / (2 * h);
            assertThat(grad[i]).as("%s d/d lp[%d]", loss.variant(), i).isCloseTo(numeric, within(1e-7));
        }
    }

    /** Σ over groups and cuts of the AFT loss at policy {@code lp}, detached terms taken from the batch's own lp. */
    private static double bruteForce(AftLoss.Variant v, LogProbBatch b, double[] lp, double beta, boolean ranked) {
        double total = 0.0;
        for (int g = 0; g < b.groups(); g++) {
            int start = b.groupStart(g);
            int m = b.groupSize(g);
            double[] levels = new double[m];
            for (int i = 0; i < m; i++) {
                levels[i] = b.score(start + i);
            }
            double[] cuts = java.util.Arrays.stream(levels).distinct().sorted().skip(1).toArray();
            if (!ranked) {
                cuts = new double[] {1.0};
            }
            for (double cut : cuts) {
                double sum = 0.0;
                double frozenMin = Double.POSITIVE_INFINITY;
                for (int p = 0; p < m; p++) {
                    if (levels[p] >= cut) {
                        frozenMin = Math.min(frozenMin, b.policyMean(start + p));
                    }
                }
                for (int p = 0; p < m; p++) {
                    for (int n = 0; n < m; n++) {
                        if (levels[p] < cut || levels[n] >= cut) {
                            continue;
                        }
                        double sp = lp[start + p] / b.tokens(start + p);
                        double sn = lp[start + n] / b.tokens(start + n);
                        double snDetached = b.policyMean(start + n);
                        if (v == AftLoss.Variant.DC) {
                            sum += Math.exp(snDetached - sp);
                        } else {
                            double t = 2 * frozenMin - 2 * beta - b.policyMean(start + p);
                            sum += Math.exp(sn - sp) + Math.exp(t - sn);
                        }
                    }
                }
                total += Math.log1p(sum);
            }
        }
        return total;
    }

    @Test
    void largeScoreGapsStayFinite() {
        LogProbBatch b = new LogProbBatch(new int[] {0, 2}, new double[] {-900.0, -1.0}, new int[] {1, 1},
                new double[0][], new double[] {1, 0});
        double[] g = new double[2];
        double v = new AftLoss(AftLoss.Variant.BC, 0.1, true, 0).valueAndGradient(b, g).lossSum();
        assertThat(v).isCloseTo(899.0, within(1e-9));
        assertThat(g[0]).isCloseTo(-1.0, within(1e-12));
        assertThat(g[1]).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void groupsWithoutBothClassesContributeNothingButCount() {
        LogProbBatch onlyPositive = new LogProbBatch(new int[] {0, 2}, new double[] {-1.0, -2.0}, new int[] {1, 1},
                new double[0][], new double[] {1, 1});
        var v = GradientCheck.value(new AftLoss(AftLoss.Variant.BC, 0.1, true, 0), onlyPositive);
        assertThat(v.lossSum()).isZero();
        assertThat(v.weight()).isEqualTo(1.0);
    }

    @Test
    void binaryVariantsRejectRankingScores() {
        LogProbBatch b = new LogProbBatch(new int[] {0, 2}, new double[] {-1.0, -2.0}, new int[] {1, 1},
                new double[0][], new double[] {2, 0});
        assertThatThrownBy(() -> GradientCheck.value(new AftLoss(AftLoss.Variant.BC, 0.1, true, 0), b))
                .hasMessageContaining("group 0 has score 2.0");
    }
}
