package io.concord.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import io.concord.core.loss.SoftmaxCrossEntropy;
import io.concord.core.model.LinearClassifier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * The classifier models out: logreg {@code mlp} leaves a DL4J {@code ModelSerializer} zip that
 * {@code restoreMultiLayerNetwork} reads back with exactly the trained parameters ({@code params.bin}) and the same
 * outputs as a network built from them; logreg {@code linear} leaves {@code weights.json} whose weights and bias
 * are the trained parameters, in the documented layout; {@code concord predict} on a Parquet table gives each
 * model's probabilities (the restored network's; {@code LinearClassifier.probabilities} of the trained parameters)
 * and the most probable class.
 */
class NetworkZipTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path train(String runId, String type) {
        CliRunner.Result r = CliRunner.run("train", "logreg", "--output", tmp.resolve("out").toString(), "--run-id",
                runId, "--master", "local[2]", "--no-progress", "--set", "model.type=" + type,
                "--set", type.equals("mlp") ? "loss=null" : "loss.name=cross-entropy",
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
        float[] a = restored.output(input).dup('c').data().asFloat();
        float[] b = fromParams.output(input).dup('c').data().asFloat();
        assertThat(a).containsExactly(b);
        assertThat(a[0] + a[1] + a[2]).isEqualTo(1f, offset(1e-5f));

        float[][] rows = predictThroughCli(run, x, 8);
        for (int i = 0; i < 8; i++) {
            for (int c = 0; c < 3; c++) {
                assertThat(rows[i][c]).isEqualTo(a[i * 3 + c]);
            }
        }
    }

    /**
     * Writes the 8 × 6 inputs as a Parquet table (id, features), runs {@code concord predict} on it and returns per
     * input row its probabilities (as floats) and, last, the predicted class; checks the ids and that the
     * prediction is the most probable class.
     */
    private float[][] predictThroughCli(Path run, float[] x, int n) {
        try (SparkSession spark = RecommendEvaluateTest.session()) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Float[] f = new Float[6];
                for (int j = 0; j < 6; j++) {
                    f[j] = x[i * 6 + j];
                }
                rows.add(RowFactory.create("row-" + i, f));
            }
            StructType schema = new StructType().add("id", DataTypes.StringType)
                    .add("features", DataTypes.createArrayType(DataTypes.FloatType));
            spark.createDataFrame(rows, schema).coalesce(1).write().parquet(tmp.resolve("in-" + run.getFileName())
                    .toString());
        }
        Path output = tmp.resolve("pred-" + run.getFileName());
        CliRunner.Result r = CliRunner.run("predict", "--model", run.toString(), "--input",
                tmp.resolve("in-" + run.getFileName()).toString(), "--output", output.toString(), "--master",
                "local[2]", "--batch-size", "3");
        assertThat(r.exitCode()).as(r.err()).isZero();
        float[][] out = new float[n][];
        try (SparkSession spark = RecommendEvaluateTest.session()) {
            for (Row row : spark.read().parquet(output.toString()).collectAsList()) {
                int i = Integer.parseInt(row.getString(0).substring(4));
                List<Double> p = row.getList(3);
                out[i] = new float[p.size() + 1];
                int best = 0;
                for (int c = 0; c < p.size(); c++) {
                    out[i][c] = p.get(c).floatValue();
                    best = p.get(c) > p.get(best) ? c : best;
                }
                assertThat(row.getInt(2)).isEqualTo(best);
                out[i][p.size()] = best;
            }
        }
        for (float[] o : out) {
            assertThat(o).isNotNull();
        }
        return out;
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

        LinearClassifier linear = new LinearClassifier(6, 3, SoftmaxCrossEntropy.INSTANCE, 0.0);
        Random random = new Random(4);
        float[] x = new float[10 * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian() * 2;
        }
        float[][] predicted = predictThroughCli(run, x, 10);
        for (int i = 0; i < 10; i++) {
            double[] expected = linear.probabilities(params, Arrays.copyOfRange(x, i * 6, i * 6 + 6));
            for (int c = 0; c < 3; c++) {
                assertThat(predicted[i][c]).isEqualTo((float) expected[c]);
            }
        }
    }

    @Test
    void evaluateReproducesTheRunsAccuracyAndTestLossFromTheExportedModel() throws IOException {
        Random random = new Random(11);
        for (String file : new String[] {"train.csv", "test.csv"}) {
            StringBuilder csv = new StringBuilder();
            for (int i = 0; i < (file.equals("train.csv") ? 600 : 150); i++) {
                int label = random.nextInt(3);
                csv.append(label);
                for (int j = 0; j < 6; j++) {
                    csv.append(',').append((j % 3 == label ? 1.5 : 0.0) + random.nextGaussian());
                }
                csv.append('\n');
            }
            Files.writeString(tmp.resolve(file), csv);
        }
        for (String type : new String[] {"linear", "mlp"}) {
            CliRunner.Result r = CliRunner.run("train", "logreg", "--output", tmp.resolve("out").toString(),
                    "--run-id", "csv-" + type, "--master", "local[2]", "--no-progress", "--set", "model.type=" + type,
                    "--set", type.equals("mlp") ? "loss=null" : "loss.name=cross-entropy",
                    "--set", "data.generate=null", "--set", "data.path=" + tmp.resolve("train.csv"),
                    "--set", "data.testPath=" + tmp.resolve("test.csv"), "--set", "train.rounds=5",
                    "--set", "eval.every=5");
            assertThat(r.exitCode()).as(r.err()).isZero();
            Path run = tmp.resolve("out/csv-" + type);
            r = CliRunner.run("evaluate", "--model", run.toString(), "--data", tmp.resolve("test.csv").toString(),
                    "--master", "local[2]", "--output", tmp.resolve("eval-" + type).toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode trained = JSON.readTree(run.resolve("summary.json").toFile()).path("metrics");
            JsonNode evaluated = JSON.readTree(tmp.resolve("eval-" + type + "/metrics.json").toFile())
                    .path("metrics");
            assertThat(evaluated.path("accuracy").asDouble()).as(type)
                    .isEqualTo(trained.path("accuracy").asDouble()).isGreaterThan(0.5);
            assertThat(evaluated.path("testLoss").asDouble()).as(type)
                    .isEqualTo(trained.path("testLoss").asDouble(), offset(1e-9));
        }
    }
}
