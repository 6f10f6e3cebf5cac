package io.concord.core.calib;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class UgclLossTest {

    private static final ParamScaling SCALING = CalibFixtures.scaling();

    /** Every term on, with distinct weights so that a mixed-up weight shows. */
    private static UgclLoss loss(SupervisedPenalty penalty) {
        double[] sw = {1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 1.1};
        return new UgclLoss(new UgclLossConfig(sw, penalty, 0.3, 2.0, 1.5, 1.25, 3.0, 1e-3, CalibFixtures.W,
                CalibFixtures.H), SCALING);
    }

    private static double[] normalized(double[] physical) {
        return SCALING.normalize(physical);
    }

    /** A prediction near the truth (errors ~0.3 normalized), every residual at least 0.01 away from L1's kink. */
    private static double[] perturbed(double[] y, SplittableRandom r) {
        double[] p = y.clone();
        for (int k = 0; k < p.length; k++) {
            double e = 0.6 * (r.nextDouble() - 0.5);
            p[k] += Math.abs(e) < 0.01 ? 0.02 : e;
        }
        return p;
    }

    @ParameterizedTest
    @EnumSource(UgclTerm.class)
    void eachTermsGradientMatchesCentralDifferences(UgclTerm term) {
        for (SupervisedPenalty penalty : SupervisedPenalty.values()) {
            UgclLoss loss = loss(penalty);
            SplittableRandom r = new SplittableRandom(11 + term.ordinal());
            for (int trial = 0; trial < 20; trial++) {
                double[] target = normalized(CalibFixtures.randomPhysical(r));
                double[] y = perturbed(target, r);
                double[] grad = new double[CalibParam.COUNT];
                loss.term(term, y, target, grad);
                for (int k = 0; k < CalibParam.COUNT; k++) {
                    double h = 1e-6;
                    double[] plus = y.clone();
                    double[] minus = y.clone();
                    plus[k] += h;
                    minus[k] -= h;
                    double fd = (loss.term(term, plus, target, null) - loss.term(term, minus, target, null)) / (2 * h);
                    assertThat(grad[k]).as("%s/%s d/d%s trial %d", term, penalty, CalibParam.values()[k].key(), trial)
                            .isCloseTo(fd, within(1e-6 * Math.max(1, Math.abs(fd))));
                }
            }
        }
    }

    @Test
    void totalIsTheSumOfTheTermsAndZeroAtTheTruth() {
        UgclLoss loss = loss(SupervisedPenalty.HUBER);
        SplittableRandom r = new SplittableRandom(5);
        double[] target = normalized(CalibFixtures.randomPhysical(r));
        double[] y = perturbed(target, r);
        double[] terms = new double[UgclTerm.values().length];
        double[] grad = new double[CalibParam.COUNT];
        double total = loss.value(y, target, grad, terms);
        double sum = 0;
        double[] gradSum = new double[CalibParam.COUNT];
        for (UgclTerm term : UgclTerm.values()) {
            double[] g = new double[CalibParam.COUNT];
            double v = loss.term(term, y, target, g);
            assertThat(terms[term.ordinal()]).isEqualTo(v);
            sum += v;
            for (int k = 0; k < g.length; k++) {
                gradSum[k] += g[k];
            }
        }
        assertThat(total).isCloseTo(sum, within(1e-12));
        for (int k = 0; k < CalibParam.COUNT; k++) {
            assertThat(grad[k]).isCloseTo(gradSum[k], within(1e-12));
        }
        for (UgclTerm term : new UgclTerm[] {UgclTerm.VANISHING_POINTS, UgclTerm.WORLD_ORIGIN, UgclTerm.AXIS_PLANES}) {
            assertThat(terms[term.ordinal()]).as(term.name()).isPositive();
        }
        double[] g0 = new double[CalibParam.COUNT];
        // Exactly zero but for the rotation term's rounding (R·Rᵀ of cos/sin is I to ~1e-16).
        assertThat(loss.value(target, target, g0, null)).isCloseTo(0.0, within(1e-15));
        for (double v : g0) {
            assertThat(v).isCloseTo(0.0, within(1e-14));
        }
        assertThat(new UgclLoss(loss.config().withWeight(UgclTerm.ROTATION, 0), SCALING).value(target, target, g0, null)).isEqualTo(0.0);
        assertThat(g0).containsOnly(0.0);
    }

    @Test
    void rotationTermIsIdenticallyZeroForAPitchOnlyRotation() {
        UgclLoss loss = loss(SupervisedPenalty.L2);
        SplittableRandom r = new SplittableRandom(6);
        for (int trial = 0; trial < 20; trial++) {
            double[] target = normalized(CalibFixtures.randomPhysical(r));
            double[] y = perturbed(target, r);
            double[] g = new double[CalibParam.COUNT];
            assertThat(loss.term(UgclTerm.ROTATION, y, target, g)).isCloseTo(0.0, within(1e-14));
            for (double v : g) {
                assertThat(v).isCloseTo(0.0, within(1e-13));
            }
        }
    }

    @Test
    void geometricTermsIgnoreBaselineAndDisparity() {
        UgclLoss loss = loss(SupervisedPenalty.L1);
        SplittableRandom r = new SplittableRandom(8);
        double[] target = normalized(CalibFixtures.randomPhysical(r));
        double[] y = perturbed(target, r);
        for (UgclTerm term : new UgclTerm[] {UgclTerm.VANISHING_POINTS, UgclTerm.WORLD_ORIGIN, UgclTerm.AXIS_PLANES}) {
            double[] g = new double[CalibParam.COUNT];
            loss.term(term, y, target, g);
            assertThat(g[CalibParam.BASELINE.index()]).isZero();
            assertThat(g[CalibParam.DISPARITY.index()]).isZero();
        }
    }

    @Test
    void worldOriginSeesThePrincipalPointThroughRowZero() {
        // The reference divides row 1 by row 2 for both coordinates, so an error in p_x alone is invisible to it.
        UgclLoss loss = loss(SupervisedPenalty.L1);
        double[] truth = CalibFixtures.randomPhysical(new SplittableRandom(9));
        double[] pred = truth.clone();
        pred[CalibParam.PX.index()] += 2.0;
        assertThat(loss.term(UgclTerm.WORLD_ORIGIN, normalized(pred), normalized(truth), null)).isGreaterThan(1e-3);
    }

    @Test
    void forwardVanishingPointIgnoresFocalLengthAtZeroPitch() {
        // At θ = 0 the forward vanishing point is the principal point whatever f_y; the up axis is at infinity.
        double[] truth = CalibFixtures.randomPhysical(new SplittableRandom(10));
        truth[CalibParam.PITCH.index()] = 0.0;
        double[] pred = truth.clone();
        pred[CalibParam.FY.index()] *= 1.3;
        UgclLoss loss = loss(SupervisedPenalty.L1);
        assertThat(loss.term(UgclTerm.VANISHING_POINTS, normalized(pred), normalized(truth), null))
                .isCloseTo(0.0, within(1e-12));
        // With pitch the horizon moves by f_y·tan θ, so the same error is seen.
        truth[CalibParam.PITCH.index()] = 0.1;
        pred[CalibParam.PITCH.index()] = 0.1;
        assertThat(loss.term(UgclTerm.VANISHING_POINTS, normalized(pred), normalized(truth), null))
                .isGreaterThan(1e-3);
    }

    @Test
    void batchedLossSumsExamplesAndWritesGradientRows() {
        UgclLoss loss = loss(SupervisedPenalty.HUBER);
        SplittableRandom r = new SplittableRandom(12);
        int n = 4;
        double[][] t = new double[n][];
        double[][] y = new double[n][];
        double expected = 0;
        for (int i = 0; i < n; i++) {
            t[i] = normalized(CalibFixtures.randomPhysical(r));
            y[i] = perturbed(t[i], r);
            expected += loss.value(y[i], t[i], null, null);
        }
        INDArray out = Nd4j.createFromArray(y);
        INDArray grad = Nd4j.create(DataType.DOUBLE, n, CalibParam.COUNT);
        assertThat(loss.valueAndGradient(out, Nd4j.createFromArray(t), grad)).isCloseTo(expected, within(1e-12));
        double[] g2 = new double[CalibParam.COUNT];
        loss.value(y[2], t[2], g2, null);
        assertThat(grad.getRow(2).toDoubleVector()).containsExactly(g2);
        assertThatThrownBy(() -> loss.batch(new double[][] {new double[9]}, new double[][] {new double[10]}, null))
                .hasMessageContaining("row 0 has 9 outputs");
    }

    @Test
    void configValidationNamesTheKey() {
        assertThatThrownBy(() -> UgclLossConfig.supervisedOnly(64, 64).withWeight(UgclTerm.AXIS_PLANES, -1))
                .hasMessageContaining("loss.axisPlaneWeight");
        assertThatThrownBy(() -> new UgclLossConfig(new double[3], SupervisedPenalty.L1, 1, 0, 0, 0, 0, 1, 64, 64))
                .hasMessageContaining("loss.supervisedWeights");
        assertThatThrownBy(() -> SupervisedPenalty.ofName("loss.penalty", "l3")).hasMessageContaining("loss.penalty");
    }
}
