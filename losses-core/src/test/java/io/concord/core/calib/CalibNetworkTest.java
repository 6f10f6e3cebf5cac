package io.concord.core.calib;

import io.concord.core.model.SimpleStepContext;
import io.concord.core.model.dl4j.Dl4jNetworkModel;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CalibNetworkTest {

    private static final int SIZE = 8;
    private static final int BATCH = 3;

    private static UgclLossFunction lossFunction() {
        double[] sw = {1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 1.1};
        UgclLossConfig config = new UgclLossConfig(sw, SupervisedPenalty.HUBER, 0.5, 2.0, 1.5, 1.25, 3.0, 1e-3,
                SIZE, SIZE);
        return new UgclLossFunction(config, CalibFixtures.scaling());
    }

    private static CalibNetConfig tiny(CalibNetConfig.Fusion fusion, DataType type) {
        return new CalibNetConfig(SIZE, SIZE, 3, fusion, new int[] {3, 4}, 6, type, 1e-3, 42L);
    }

    private static INDArray[] inputs(CalibNetConfig.Fusion fusion, long seed) {
        Nd4j.getRandom().setSeed(seed);
        if (fusion == CalibNetConfig.Fusion.STACKED) {
            return new INDArray[] {Nd4j.rand(DataType.DOUBLE, BATCH, 6, SIZE, SIZE).subi(0.5)};
        }
        return new INDArray[] {Nd4j.rand(DataType.DOUBLE, BATCH, 3, SIZE, SIZE).subi(0.5),
            Nd4j.rand(DataType.DOUBLE, BATCH, 3, SIZE, SIZE).subi(0.5)};
    }

    private static INDArray labels(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] rows = new double[BATCH][];
        for (int i = 0; i < BATCH; i++) {
            rows[i] = CalibFixtures.scaling().normalize(CalibFixtures.randomPhysical(r));
        }
        return Nd4j.createFromArray(rows);
    }

    @ParameterizedTest
    @EnumSource(CalibNetConfig.Fusion.class)
    void configurationRoundTripsThroughJsonWithTheLoss(CalibNetConfig.Fusion fusion) throws Exception {
        ComputationGraphConfiguration conf = CalibNetwork.configuration(tiny(fusion, DataType.FLOAT),
                lossFunction());
        String json = conf.toJson();
        assertThat(json).contains(UgclLossFunction.class.getName()).contains("vanishingPointWeight");
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertThat(back).isEqualTo(conf);
        OutputLayer out = (OutputLayer) ((LayerVertex) back.getVertices().get(CalibNetwork.OUTPUT)).getLayerConf()
                .getLayer();
        assertThat(out.getLossFn()).isEqualTo(lossFunction());
        assertThat(back.toJson()).isEqualTo(json);

        ComputationGraph net = new ComputationGraph(back);
        net.init();
        INDArray y = net.outputSingle(false, castAll(inputs(fusion, 1), DataType.FLOAT));
        assertThat(y.shape()).containsExactly(BATCH, CalibParam.COUNT);

        // Java serialisation too: Spark ships configurations and loss functions in closures.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(lossFunction());
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(lossFunction());
        }
    }

    @ParameterizedTest
    @EnumSource(CalibNetConfig.Fusion.class)
    void wholeNetworkGradientPassesDl4jGradientCheckInDouble(CalibNetConfig.Fusion fusion) {
        ComputationGraphConfiguration conf = CalibNetwork.configuration(tiny(fusion, DataType.DOUBLE),
                lossFunction());
        for (var v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer) {
                layer.setIUpdater(new NoOp()); // GradientCheckUtil insists on a no-op updater
            }
        }
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            ComputationGraph net = new ComputationGraph(conf);
            net.init();
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(inputs(fusion, 2)).labels(new INDArray[] {labels(3)})
                .epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
            assertThat(ok).isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    /**
     * DL4J's convention, which any adapter must know: after {@code computeGradientAndScore} the score is the minibatch
     * MEAN (our {@code computeScore(average = true)}) while the network gradient is the gradient of the SUM (DL4J's
     * updater divides by the minibatch size later).
     */
    @Test
    void dl4jNetworkGradientIsOfTheSumWhileItsScoreIsTheMean() {
        ComputationGraph net = new ComputationGraph(CalibNetwork.configuration(
                tiny(CalibNetConfig.Fusion.STACKED, DataType.DOUBLE), lossFunction()));
        net.init();
        net.setInputs(inputs(CalibNetConfig.Fusion.STACKED, 4));
        net.setLabels(labels(5));
        net.computeGradientAndScore();
        INDArray gradient = net.gradient().gradient().dup();
        INDArray p = net.params();
        SplittableRandom r = new SplittableRandom(6);
        for (int trial = 0; trial < 8; trial++) {
            int i = r.nextInt((int) p.length());
            double v = p.getDouble(i);
            double h = 1e-6;
            p.putScalar(i, v + h);
            net.computeGradientAndScore();
            double plus = net.score();
            p.putScalar(i, v - h);
            net.computeGradientAndScore();
            double minus = net.score();
            p.putScalar(i, v);
            double fdOfSum = BATCH * (plus - minus) / (2 * h);
            assertThat(gradient.getDouble(i)).as("param %d", i)
                    .isCloseTo(fdOfSum, within(1e-5 * Math.max(1, Math.abs(fdOfSum))));
        }
    }

    /**
     * Through the Concord bridge the gradient is that of the summed loss it reports (batch of three, so a bridge that
     * scaled DL4J's already-summed gradient by n again would be off by 3×).
     */
    @Test
    void concordBridgeGradientIsTheGradientOfItsSummedLoss() {
        CalibNetConfig.Fusion fusion = CalibNetConfig.Fusion.STACKED;
        INDArray[] x = inputs(fusion, 4);
        INDArray t = labels(5);
        Dl4jNetworkModel<Integer> model = Dl4jNetworkModel.of(
                CalibNetwork.configuration(tiny(fusion, DataType.DOUBLE), lossFunction()),
                batch -> new MultiDataSet(x, new INDArray[] {t}));
        float[] params = new float[model.numParams()];
        model.initParams(params, 7L);
        float[] grad = new float[model.numParams()];
        List<Integer> batch = List.of(0, 1, 2);
        model.accumulateGradient(params, batch, grad, SimpleStepContext.of(1, 0));
        SplittableRandom r = new SplittableRandom(6);
        for (int trial = 0; trial < 12; trial++) {
            int i = r.nextInt(params.length);
            float[] plus = params.clone();
            float[] minus = params.clone();
            plus[i] += 1e-3f;
            minus[i] -= 1e-3f;
            double lp = model.accumulateGradient(plus, batch, new float[params.length], SimpleStepContext.of(1, 0))
                    .lossSum();
            double lm = model.accumulateGradient(minus, batch, new float[params.length], SimpleStepContext.of(1, 0))
                    .lossSum();
            double fd = (lp - lm) / ((double) plus[i] - (double) minus[i]);
            assertThat((double) grad[i]).as("param %d", i).isCloseTo(fd, within(1e-3 * Math.max(1, Math.abs(fd))));
        }
    }

    private static INDArray[] castAll(INDArray[] a, DataType t) {
        INDArray[] out = new INDArray[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].castTo(t);
        }
        return out;
    }
}
