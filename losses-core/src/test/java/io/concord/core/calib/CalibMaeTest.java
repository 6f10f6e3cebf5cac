package io.concord.core.calib;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CalibMaeTest {

    @Test
    void maeIsTheMeanAbsoluteErrorPerParameter() {
        CalibMae mae = new CalibMae();
        double[] truth = new double[CalibParam.COUNT];
        double[] a = new double[CalibParam.COUNT];
        double[] b = new double[CalibParam.COUNT];
        a[CalibParam.FX.index()] = 3;
        b[CalibParam.FX.index()] = -1;
        b[CalibParam.PITCH.index()] = 0.5;
        mae.add(a, truth);
        mae.add(b, truth);
        assertThat(mae.count()).isEqualTo(2);
        assertThat(mae.mae()[CalibParam.FX.index()]).isEqualTo(2.0);
        assertThat(mae.mae()[CalibParam.PITCH.index()]).isEqualTo(0.25);
        assertThat(mae.mae()[CalibParam.TY.index()]).isZero();
        assertThat(new CalibMae().mae()[0]).isNaN();
    }

    @Test
    void medianPredictorOnUniformTranslationsReproducesTheReferencePlateau() {
        // The reference doc: a constant predictor on t_x ~ U(0, 0.8), t_y ~ U(0.2, 0.7), t_z ~ U(0, 0.5) gives MAE
        // 0.200, 0.125, 0.125 (= quarter of each width) — the level every reference model's t sits at.
        SplittableRandom r = new SplittableRandom(31);
        double[][] train = new double[20001][];
        double[][] test = new double[20000][];
        for (double[][] set : new double[][][] {train, test}) {
            for (int i = 0; i < set.length; i++) {
                double[] row = new double[CalibParam.COUNT];
                row[CalibParam.TX.index()] = 0.8 * r.nextDouble();
                row[CalibParam.TY.index()] = 0.2 + 0.5 * r.nextDouble();
                row[CalibParam.TZ.index()] = 0.5 * r.nextDouble();
                set[i] = row;
            }
        }
        double[] m = CalibMae.ofMedian(train, test);
        assertThat(m[CalibParam.TX.index()]).isCloseTo(0.200, within(0.004));
        assertThat(m[CalibParam.TY.index()]).isCloseTo(0.125, within(0.003));
        assertThat(m[CalibParam.TZ.index()]).isCloseTo(0.125, within(0.003));
        assertThat(m[CalibParam.FX.index()]).isZero();
        double[] median = MedianPredictor.fit(new double[][] {row(1), row(5), row(2)}).predict();
        assertThat(median[0]).isEqualTo(2.0);
        assertThat(MedianPredictor.fit(new double[][] {row(1), row(5), row(2), row(4)}).predict()[0]).isEqualTo(3.0);
    }

    @Test
    void relativeMeanSkipsParametersTheBaselineGetsExactlyRight() {
        double[] baseline = new double[CalibParam.COUNT];
        double[] mae = new double[CalibParam.COUNT];
        baseline[0] = 2;
        mae[0] = 1;
        baseline[1] = 4;
        mae[1] = 4;
        mae[2] = 7; // baseline 0: constant parameter, skipped
        assertThat(CalibMae.relativeMean(mae, baseline)).isEqualTo(0.75);
        Map<String, double[]> rows = new LinkedHashMap<>();
        rows.put("median", baseline);
        String table = CalibMae.table(rows);
        assertThat(table).contains("fx[px]").contains("theta[rad]").contains("median").contains("2.0000");
    }

    private static double[] row(double fx) {
        double[] r = new double[CalibParam.COUNT];
        r[0] = fx;
        return r;
    }
}
