package io.concord.data.calib;

import io.concord.core.calib.CalibMae;
import io.concord.core.calib.CalibParam;
import io.concord.core.util.Seeds;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The generator's default label distributions against the reference training logs: every reference model sits at
 * constant-predictor level for t, b (UGCL) and θ (CPL-A, Baseline), so the logged validation MAE of those outputs is
 * the MAE of the median predictor under the real CVGL label distribution. Ours must reproduce it.
 */
class ReferenceLogsTest {

    private static Path logs() {
        String shared = System.getProperty("concord.shared");
        Path dir = shared == null ? null : Path.of(shared, "datasets", "cvgl", "reference_training_logs");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(dir), "reference logs not available: " + dir);
        return dir;
    }

    /** The row of the epoch with the lowest {@code val_loss}, as a column lookup. */
    private static double bestEpoch(Path csv, String column) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int loss = header.indexOf("val_loss");
        int col = header.indexOf(column);
        assertThat(col).as("%s has column %s", csv, column).isNotNegative();
        double best = Double.POSITIVE_INFINITY;
        double value = Double.NaN;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (Double.parseDouble(f[loss]) < best) {
                best = Double.parseDouble(f[loss]);
                value = Double.parseDouble(f[col]);
            }
        }
        return value;
    }

    @Test
    void medianPredictorOnGeneratedLabelsMatchesTheReferencePlateaus() throws IOException {
        Path dir = logs();
        StereoRigConfig config = StereoRigConfig.cvgl(150);
        double[][] train = sample(config, 1, 40000);
        double[][] test = sample(config, 2, 40000);
        double[] median = CalibMae.ofMedian(train, test);
        Path ugcl = dir.resolve("UGCL-VP-WC-R.csv");
        assertThat(median[CalibParam.TX.index()]).isCloseTo(bestEpoch(ugcl, "val_x_loss"), within(0.004));
        assertThat(median[CalibParam.TY.index()]).isCloseTo(bestEpoch(ugcl, "val_y_loss"), within(0.003));
        assertThat(median[CalibParam.TZ.index()]).isCloseTo(bestEpoch(ugcl, "val_z_loss"), within(0.003));
        assertThat(median[CalibParam.BASELINE.index()]).isCloseTo(bestEpoch(ugcl, "val_baseline_loss"),
                within(0.004));
        assertThat(median[CalibParam.PITCH.index()]).isCloseTo(bestEpoch(dir.resolve("CPL-A.csv"), "val_pitch_loss"),
                within(0.003));
        // The reference doc's simulated constant-predictor MAE of f_x at 150 px.
        assertThat(median[CalibParam.FX.index()]).isCloseTo(25.4, within(0.5));
    }

    private static double[][] sample(StereoRigConfig config, long seed, int n) {
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            StereoPairGenerator.Rig rig = StereoPairGenerator.Rig.sample(config, Seeds.stream(seed, i));
            double[] row = new double[CalibParam.COUNT];
            row[CalibParam.FX.index()] = rig.left.fx;
            row[CalibParam.TX.index()] = rig.tx;
            row[CalibParam.TY.index()] = rig.ty;
            row[CalibParam.TZ.index()] = rig.tz;
            row[CalibParam.BASELINE.index()] = Math.sqrt(rig.tx * rig.tx + rig.ty * rig.ty + rig.tz * rig.tz);
            row[CalibParam.PITCH.index()] = rig.theta;
            rows[i] = row;
        }
        return rows;
    }
}
