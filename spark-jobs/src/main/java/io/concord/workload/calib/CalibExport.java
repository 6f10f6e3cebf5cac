package io.concord.workload.calib;

import io.concord.config.ConfigException;
import io.concord.core.calib.CalibNetConfig;
import io.concord.core.calib.ParamScaling;
import io.concord.model.ModelManifest;
import io.concord.model.NetworkZip;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the inference commands read back from a committed {@code calib} run: {@code model/network.zip} (as bytes, to
 * ship to the executors) and the manifest's image size, parameter scaling, view fusion and training-label median.
 *
 * @param trainMedian the median of the training labels (the baseline predictor), or null for runs without it
 */
public record CalibExport(int width, int height, ParamScaling scaling, CalibNetConfig.Fusion fusion,
                          double[] trainMedian, byte[] zip) implements Serializable {

    public static CalibExport read(Path run, Configuration conf) {
        Map<String, Object> d = ModelManifest.read(run, conf).details();
        if (!(d.get("imageWidth") instanceof Number w) || !(d.get("imageHeight") instanceof Number h)) {
            throw new ConfigException("--model", "model.json of " + run + " has no details.imageWidth/imageHeight");
        }
        CalibNetConfig.Fusion fusion = CalibNetConfig.Fusion.valueOf(String.valueOf(d.getOrDefault("fusion",
                "stacked")).toUpperCase(Locale.ROOT));
        Path zip = new Path(new Path(run, "model"), NetworkZip.FILE);
        try (InputStream in = zip.getFileSystem(conf).open(zip)) {
            return new CalibExport(w.intValue(), h.intValue(), new ParamScaling(doubles(d, "scalingOffsets", run),
                    doubles(d, "scalingScales", run)), fusion,
                    d.containsKey("trainMedian") ? doubles(d, "trainMedian", run) : null, in.readAllBytes());
        } catch (IOException e) {
            throw new ConfigException("--model", "cannot read " + zip + ": " + e.getMessage());
        }
    }

    /** The restored network (call once per task). */
    public ComputationGraph network() {
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot restore network.zip: " + e.getMessage(), e);
        }
    }

    private static double[] doubles(Map<String, Object> details, String key, Path run) {
        if (!(details.get(key) instanceof List<?> l)) {
            throw new ConfigException("--model", "model.json of " + run + " has no details." + key
                    + " (committed before it was written; retrain)");
        }
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).doubleValue();
        }
        return out;
    }
}
