package io.concord.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.core.model.LinearClassifier;
import io.concord.job.JobContext;
import io.concord.model.ModelManifest.ModelFile;
import io.concord.run.RunDirectory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A multinomial linear classifier as JSON ({@value #FILE}): {@code weights} ({@code classes × dimension}),
 * {@code bias} ({@code classes}); the logit of class c is {@code bias[c] + Σ_j weights[c][j]·x[j]} and the
 * prediction is its softmax.
 */
public final class LinearWeights {

    public static final String FILE = "weights.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LinearWeights() {
    }

    /** The weights of {@code params} as the JSON object written to {@value #FILE}. */
    public static Map<String, Object> of(LinearClassifier model, float[] params) {
        int d = model.dimension();
        int c = model.numClasses();
        float[][] w = new float[c][d];
        float[] b = new float[c];
        for (int k = 0; k < c; k++) {
            System.arraycopy(params, k * d, w[k], 0, d);
            b[k] = params[c * d + k];
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("classes", c);
        out.put("dimension", d);
        out.put("weights", w);
        out.put("bias", b);
        return out;
    }

    public static ModelManifest write(JobContext ctx, LinearClassifier model, float[] params,
                                      Map<String, Object> details) {
        RunDirectory dir = ctx.runDir();
        try {
            dir.writeString("model/" + FILE, JSON.writeValueAsString(of(model, params)) + "\n");
        } catch (IOException e) {
            throw new RunDirectory.OutputException("writing model/" + FILE + " failed: " + e.getMessage(), e);
        }
        ModelManifest manifest = ModelManifest.of(ctx, ModelManifest.LINEAR,
                Map.of("classes", model.numClasses(), "dimension", model.dimension()), Map.of(),
                List.of(new ModelFile(FILE, "json", "weights [classes][dimension], bias [classes]; logits = "
                                + "weights·x + bias, probabilities = softmax"),
                        new ModelFile("params.bin", "concord-float-array", "the same: weights row-major, then bias "
                                + "(checkpoint format)")), details);
        manifest.write(dir);
        return manifest;
    }
}
