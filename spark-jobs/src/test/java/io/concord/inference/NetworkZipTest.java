package io.concord.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * The classifier models out: logreg {@code mlp} leaves a DL4J {@code ModelSerializer} zip that
 * {@code restoreMultiLayerNetwork} reads back with exactly the trained parameters ({@code params.bin}) and the same
 * outputs as a network built from them; logreg {@code linear} leaves {@code weights.json} whose weights and bias
 * are the trained parameters, in the documented layout.
 */
class NetworkZipTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path train(String runId, String type) {
        CliRunner.Result r = CliRunner.run("train", "logreg", "--output", tmp.resolve("out").toString(), "--run-id",
                runId, "--master", "local[2]", "--no-progress", "--set", "model.type=" + type,
                "--set", "data.generate.examples=600", "--set", "data.generate.testExamples=100",
                "--set", "data.generate.dimension=6", "--set", "data.generate.classes=3",
                "--set", "train.rounds=5", "--set", "eval.every=5", "--set", "train.checkpointEvery=0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return tmp.resolve("out").resolve(runId);
    }

    @Test
    void mlpZipRestoresWithTheTrainedParametersAndOutputs() throws IOException {
        Path run = train("mlp", "mlp");
        JsonNode manifest = JSON.readTree(run.resolve("model/model.json").toFile());
        assertThat(manifest.path("modelType").asText()).isEqualTo("dl4j-network");
        assertThat(manifest.path("details").path("restoreWith").asText())
                .isEqualTo("ModelSerializer.restoreMultiLayerNetwork");
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(run.resolve("model/network.zip")
                .toFile());
        float[] params = RecommendEvaluateTest.read(run.resolve("model/params.bin"));
        assertThat(restored.numParams()).isEqualTo(params.length);
        assertThat(restored.params().toFloatVector()).containsExactly(params);

        MultiLayerNetwork fromParams = new MultiLayerNetwork(restored.getLayerWiseConfigurations().clone());
        fromParams.init(Nd4j.create(params, new long[] {1, params.length}, DataType.FLOAT), true);
        Random random = new Random(3);
        float[] x = new float[8 * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        INDArray input = Nd4j.create(x, new long[] {8, 6}, DataType.FLOAT);
        float[] a = restored.output(input).toFloatVector();
        float[] b = fromParams.output(input).toFloatVector();
        assertThat(a).containsExactly(b);
        assertThat(a[0] + a[1] + a[2]).isEqualTo(1f, offset(1e-5f));
    }

    @Test
    void linearWeightsAreTheTrainedParameters() throws IOException {
        Path run = train("linear", "linear");
        JsonNode manifest = JSON.readTree(run.resolve("model/model.json").toFile());
        assertThat(manifest.path("modelType").asText()).isEqualTo("linear");
        assertThat(manifest.path("shapes").path("classes").asInt()).isEqualTo(3);
        JsonNode w = JSON.readTree(run.resolve("model/weights.json").toFile());
        float[] params = RecommendEvaluateTest.read(run.resolve("model/params.bin"));
        assertThat(w.path("dimension").asInt()).isEqualTo(6);
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < 6; j++) {
                assertThat(w.path("weights").get(c).get(j).floatValue()).isEqualTo(params[c * 6 + j]);
            }
            assertThat(w.path("bias").get(c).floatValue()).isEqualTo(params[18 + c]);
        }
    }
}
