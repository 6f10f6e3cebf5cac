package io.concord.core.model.dl4j;

import java.io.Serializable;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import io.concord.core.model.BatchLoss;
import io.concord.core.model.Model;
import io.concord.core.model.StepContext;
import io.concord.core.util.Seeds;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a DL4J {@link MultiLayerNetwork} or {@link ComputationGraph} as a Concord {@link Model}: the network's flat
 * parameter vector is Concord's parameter vector, and its backprop gradient is Concord's gradient. DL4J layers, graph
 * vertices and custom loss functions therefore train through the Concord engine unchanged.
 *
 * <p>The network travels as its JSON configuration; each executor thread builds its own instance once and keeps it
 * across tasks (DL4J networks are not thread-safe; building one per task would dominate small rounds). DL4J's {@code computeGradientAndScore} reports the minibatch-MEAN score but the minibatch-SUMMED
 * gradient (with {@code miniBatch(true)} its updater divides by the batch size later); this adapter returns the summed
 * loss and the summed gradient, so the engine's mean reduction matches DL4J's own training. Regularisation configured on DL4J layers is applied by DL4J's updater and is
 * therefore <em>not</em> part of this gradient: configure weight decay on the Concord optimizer instead.
 *
 * @param <R> record type; {@code converter} turns a batch into DL4J features and labels
 */
public final class Dl4jNetworkModel<R> implements Model<R> {

    private static final long serialVersionUID = 1L;

    /**
     * Built networks per executor thread, by configuration. A model object is deserialized afresh for every task, so
     * a cache on the instance would rebuild the network every round; executor threads outlive tasks.
     */
    private static final ThreadLocal<Map<String, NeuralNetwork>> NETWORKS =
            ThreadLocal.withInitial(() -> new LinkedHashMap<>(4, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, NeuralNetwork> eldest) {
                    return size() > 4;
                }
            });

    private final String configJson;
    private final boolean graph;
    private final BatchConverter<R> converter;
    private final int numParams;

    private Dl4jNetworkModel(String configJson, boolean graph, BatchConverter<R> converter) {
        this.configJson = configJson;
        this.graph = graph;
        this.converter = Objects.requireNonNull(converter, "converter");
        this.numParams = Math.toIntExact(build().params().length());
    }

    public static <R> Dl4jNetworkModel<R> of(MultiLayerConfiguration conf, BatchConverter<R> converter) {
        return new Dl4jNetworkModel<>(conf.toJson(), false, converter);
    }

    public static <R> Dl4jNetworkModel<R> of(ComputationGraphConfiguration conf, BatchConverter<R> converter) {
        return new Dl4jNetworkModel<>(conf.toJson(), true, converter);
    }

    /** A fresh, initialised network of this configuration (parameters from the configuration's seed). */
    public NeuralNetwork build() {
        if (graph) {
            ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(configJson));
            g.init();
            return g;
        }
        MultiLayerNetwork n = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configJson));
        n.init();
        return n;
    }

    /** This thread's network with {@code params} loaded. */
    public NeuralNetwork networkWith(float[] params) {
        NeuralNetwork net = threadNetwork();
        INDArray view = net.params();
        view.assign(Nd4j.createFromArray(params).castTo(view.dataType()));
        return net;
    }

    @Override
    public int numParams() {
        return numParams;
    }

    @Override
    public void initParams(float[] params, long seed) {
        Nd4j.getRandom().setSeed(Seeds.mix(seed, 0xD14AL));
        NeuralNetwork fresh = graph ? initGraph(seed) : initMln(seed);
        float[] init = fresh.params().castTo(DataType.FLOAT).toFloatVector();
        System.arraycopy(init, 0, params, 0, numParams);
    }

    @Override
    public BatchLoss accumulateGradient(float[] params, List<R> batch, float[] grad, StepContext ctx) {
        if (batch.isEmpty()) {
            return BatchLoss.ZERO;
        }
        Nd4j.getRandom().setSeed(Seeds.mix(ctx.random().nextLong(), 0xD14AL));
        NeuralNetwork net = networkWith(params);
        MultiDataSet data = converter.convert(batch);
        int n = batch.size();
        double meanScore;
        INDArray flatGradient;
        if (net instanceof ComputationGraph g) {
            g.setInputs(data.getFeatures());
            g.setLabels(data.getLabels());
            if (data.getFeaturesMaskArrays() != null || data.getLabelsMaskArrays() != null) {
                g.setLayerMaskArrays(data.getFeaturesMaskArrays(), data.getLabelsMaskArrays());
            }
            g.computeGradientAndScore();
            meanScore = g.score();
            flatGradient = g.gradient().gradient();
        } else {
            MultiLayerNetwork m = (MultiLayerNetwork) net;
            m.setInput(data.getFeatures(0));
            m.setLabels(data.getLabels(0));
            m.computeGradientAndScore();
            meanScore = m.score();
            flatGradient = m.gradient().gradient();
        }
        float[] g = flatGradient.castTo(DataType.FLOAT).toFloatVector();
        for (int i = 0; i < numParams; i++) {
            grad[i] += g[i];
        }
        return new BatchLoss(meanScore * n, n);
    }

    private MultiLayerNetwork initMln(long seed) {
        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(configJson);
        conf.getConfs().forEach(c -> c.setSeed(seed));
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    private ComputationGraph initGraph(long seed) {
        ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(configJson);
        conf.getDefaultConfiguration().setSeed(seed);
        conf.getVertices().values().forEach(v -> {
            if (v instanceof LayerVertex lv) {
                lv.getLayerConf().setSeed(seed);
            }
        });
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private NeuralNetwork threadNetwork() {
        return NETWORKS.get().computeIfAbsent(configJson, json -> build());
    }

    /** Turns a batch of records into DL4J features/labels (and masks). */
    @FunctionalInterface
    public interface BatchConverter<R> extends Serializable {
        MultiDataSet convert(List<R> batch);
    }
}
