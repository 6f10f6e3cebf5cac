package io.concord.core.calib;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The calibration CNN as a DL4J {@link ComputationGraphConfiguration}: stride-2 convolutions (ReLU, "same" padding)
 * over the two views, one fully connected ReLU layer, and a ten-unit identity output layer trained by the given loss
 * (normally a {@link UgclLossFunction}). Flattening instead of global pooling keeps where the horizon and the
 * vanishing points lie, which is what focal length and pitch are read from.
 *
 * <p>Inputs: {@link #STACKED_INPUT} {@code [n, 2C, H, W]} (left channels first) for
 * {@link CalibNetConfig.Fusion#STACKED}; {@link #LEFT_INPUT} and {@link #RIGHT_INPUT} {@code [n, C, H, W]} each for
 * {@link CalibNetConfig.Fusion#TWO_TOWERS}. Output {@link #OUTPUT}: {@code [n, 10]} normalized parameters.
 *
 * <p>Compared with the reference (two ImageNet InceptionV3 towers, Flatten, one 120-84-1 head per output, ~145M
 * parameters) this is a CPU-sized network with a shared trunk and one 10-wide output layer.
 */
public final class CalibNetwork {

    public static final String STACKED_INPUT = "pair";
    public static final String LEFT_INPUT = "left";
    public static final String RIGHT_INPUT = "right";
    public static final String OUTPUT = "out";

    private CalibNetwork() {
    }

    public static ComputationGraphConfiguration configuration(CalibNetConfig net, ILossFunction loss) {
        return configuration(net, loss, new Adam(net.learningRate()));
    }

    /**
     * As {@link #configuration(CalibNetConfig, ILossFunction)} with another DL4J updater (it only matters when DL4J
     * itself trains the network, e.g. in its own training master; the Concord engine uses its own optimizer).
     */
    public static ComputationGraphConfiguration configuration(CalibNetConfig net, ILossFunction loss,
                                                              IUpdater updater) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(net.seed())
                .dataType(net.dataType())
                .weightInit(WeightInit.RELU)
                .updater(updater)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder();
        String trunkOut;
        if (net.fusion() == CalibNetConfig.Fusion.STACKED) {
            g.addInputs(STACKED_INPUT);
            g.setInputTypes(InputType.convolutional(net.height(), net.width(), 2L * net.channelsPerView()));
            trunkOut = tower(g, net, "", STACKED_INPUT);
        } else {
            g.addInputs(LEFT_INPUT, RIGHT_INPUT);
            InputType view = InputType.convolutional(net.height(), net.width(), net.channelsPerView());
            g.setInputTypes(view, view);
            String left = tower(g, net, "left_", LEFT_INPUT);
            String right = tower(g, net, "right_", RIGHT_INPUT);
            g.addVertex("merge", new MergeVertex(), left, right);
            trunkOut = "merge";
        }
        g.addLayer("fc", new DenseLayer.Builder().nOut(net.denseUnits()).activation(Activation.RELU).build(),
                trunkOut);
        g.addLayer(OUTPUT, new OutputLayer.Builder(loss).nOut(CalibParam.COUNT).activation(Activation.IDENTITY)
                .build(), "fc");
        g.setOutputs(OUTPUT);
        return g.build();
    }

    private static String tower(ComputationGraphConfiguration.GraphBuilder g, CalibNetConfig net, String prefix,
                                String input) {
        int[] channels = net.convChannels();
        String previous = input;
        for (int i = 0; i < channels.length; i++) {
            int k = i == 0 ? 5 : 3;
            String name = prefix + "conv" + i;
            g.addLayer(name, new ConvolutionLayer.Builder(k, k).stride(2, 2).nOut(channels[i])
                    .activation(Activation.RELU).build(), previous);
            previous = name;
        }
        return previous;
    }

    /** Physical-unit predictions {@code [n][10]} of {@code network} for one batch of inputs (inference mode). */
    public static double[][] predict(ComputationGraph network, ParamScaling scaling, INDArray... inputs) {
        INDArray out = network.outputSingle(false, inputs);
        double[][] y = out.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] physical = new double[y.length][];
        for (int i = 0; i < y.length; i++) {
            physical[i] = scaling.denormalize(y[i]);
        }
        return physical;
    }
}
