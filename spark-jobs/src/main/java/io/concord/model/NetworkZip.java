package io.concord.model;

import io.concord.core.model.dl4j.Dl4jNetworkModel;
import io.concord.job.JobContext;
import io.concord.model.ModelManifest.ModelFile;
import io.concord.run.RunDirectory;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DL4J network as a {@link ModelSerializer} zip ({@value #FILE}): configuration and parameters, no updater
 * state, restorable with {@code ModelSerializer.restoreMultiLayerNetwork} or {@code restoreComputationGraph}
 * (named in {@code model.json}'s {@code details.restoreWith}).
 */
public final class NetworkZip {

    public static final String FILE = "network.zip";

    private NetworkZip() {
    }

    /** Writes {@code model/network.zip} of the network with {@code params} and its manifest. */
    public static ModelManifest write(JobContext ctx, Dl4jNetworkModel<?> model, float[] params,
                                      List<ModelFile> extraFiles, Map<String, Object> details) {
        NeuralNetwork net = model.networkWith(params);
        RunDirectory dir = ctx.runDir();
        try (OutputStream out = dir.create("model/" + FILE)) {
            if (net instanceof MultiLayerNetwork mln) {
                ModelSerializer.writeModel(mln, out, false);
            } else {
                ModelSerializer.writeModel((ComputationGraph) net, out, false);
            }
        } catch (IOException e) {
            throw new RunDirectory.OutputException("writing model/" + FILE + " failed: " + e.getMessage(), e);
        }
        boolean graph = net instanceof ComputationGraph;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("networkClass", graph ? "ComputationGraph" : "MultiLayerNetwork");
        d.put("restoreWith", graph ? "ModelSerializer.restoreComputationGraph" :
                "ModelSerializer.restoreMultiLayerNetwork");
        d.putAll(details);
        List<ModelFile> files = new ArrayList<>();
        files.add(new ModelFile(FILE, "dl4j-model-serializer-zip", "DL4J configuration + parameters (no updater)"));
        files.add(new ModelFile("params.bin", "concord-float-array", "the same parameters in DL4J's flattened "
                + "order (checkpoint format)"));
        files.addAll(extraFiles);
        ModelManifest manifest = ModelManifest.of(ctx, ModelManifest.DL4J, Map.of("numParams", model.numParams()),
                Map.of(), files, d);
        manifest.write(dir);
        return manifest;
    }
}
