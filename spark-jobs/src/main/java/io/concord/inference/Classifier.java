package io.concord.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.config.ConfigException;
import io.concord.model.LinearWeights;
import io.concord.model.ModelManifest;
import io.concord.model.NetworkZip;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;

/**
 * A committed classifier as the executors use it: class probabilities for a batch of feature vectors, read from the
 * portable files alone ({@code weights.json} of a linear model, {@code network.zip} of a DL4J network).
 */
public interface Classifier extends Serializable {

    int dimension();

    int classes();

    /** Probabilities, one row per input row. */
    double[][] probabilities(float[][] batch);

    static Classifier load(Path run, Configuration conf) {
        ModelManifest m = ModelManifest.read(run, conf).requireType(ModelManifest.LINEAR, ModelManifest.DL4J);
        Path model = new Path(run, "model");
        if (m.modelType().equals(ModelManifest.LINEAR)) {
            JsonNode w = readJson(new Path(model, LinearWeights.FILE), conf);
            int c = w.path("classes").asInt();
            int d = w.path("dimension").asInt();
            float[] weights = new float[c * d];
            float[] bias = new float[c];
            for (int k = 0; k < c; k++) {
                for (int j = 0; j < d; j++) {
                    weights[k * d + j] = w.path("weights").get(k).get(j).floatValue();
                }
                bias[k] = w.path("bias").get(k).floatValue();
            }
            return new Linear(d, c, weights, bias);
        }
        if (!"MultiLayerNetwork".equals(m.details().get("networkClass"))) {
            throw new ConfigException("--model", m.job() + " is a " + m.details().get("networkClass")
                    + " network; predict reads feature vectors into a MultiLayerNetwork (logreg mlp)");
        }
        Object dim = m.details().get("dimension");
        Object classes = m.details().get("classes");
        if (!(dim instanceof Number d) || !(classes instanceof Number c)) {
            throw new ConfigException("--model", "model.json of " + run + " does not give the input dimension");
        }
        return new Network(d.intValue(), c.intValue(), readBytes(new Path(model, NetworkZip.FILE), conf));
    }

    private static JsonNode readJson(Path p, Configuration conf) {
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new ConfigException("--model", "cannot read " + p + ": " + e.getMessage());
        }
    }

    private static byte[] readBytes(Path p, Configuration conf) {
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ConfigException("--model", "cannot read " + p + ": " + e.getMessage());
        }
    }

    /** {@code softmax(weights·x + bias)} in double, as {@code weights.json} documents. */
    record Linear(int dimension, int classes, float[] weights, float[] bias) implements Classifier {
        @Override
        public double[][] probabilities(float[][] batch) {
            double[][] out = new double[batch.length][];
            for (int i = 0; i < batch.length; i++) {
                double[] z = new double[classes];
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    double s = bias[c];
                    for (int j = 0; j < dimension; j++) {
                        s += weights[c * dimension + j] * (double) batch[i][j];
                    }
                    z[c] = s;
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    z[c] = Math.exp(z[c] - max);
                    sum += z[c];
                }
                for (int c = 0; c < classes; c++) {
                    z[c] /= sum;
                }
                out[i] = z;
            }
            return out;
        }
    }

    /** The restored {@code network.zip}; shipped as its bytes and restored once per executor JVM task. */
    final class Network implements Classifier {
        private static final long serialVersionUID = 1L;
        private final int dimension;
        private final int classes;
        private final byte[] zip;
        private transient MultiLayerNetwork net;

        Network(int dimension, int classes, byte[] zip) {
            this.dimension = dimension;
            this.classes = classes;
            this.zip = zip;
        }

        @Override
        public int dimension() {
            return dimension;
        }

        @Override
        public int classes() {
            return classes;
        }

        @Override
        public double[][] probabilities(float[][] batch) {
            if (net == null) {
                try {
                    net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), false);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot restore network.zip: " + e.getMessage(), e);
                }
            }
            float[] flat = new float[batch.length * dimension];
            for (int i = 0; i < batch.length; i++) {
                System.arraycopy(batch[i], 0, flat, i * dimension, dimension);
            }
            INDArray x = Nd4j.create(flat, new long[] {batch.length, dimension}, DataType.FLOAT);
            return net.output(x).castTo(DataType.DOUBLE).toDoubleMatrix();
        }
    }
}
