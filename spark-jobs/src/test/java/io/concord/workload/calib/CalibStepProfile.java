package io.concord.workload.calib;

import io.concord.core.calib.CalibNetConfig;
import io.concord.core.calib.ParamScaling;
import io.concord.core.calib.UgclLossConfig;
import io.concord.core.model.SimpleStepContext;
import io.concord.core.optim.Adam;
import io.concord.data.calib.StereoPair;
import io.concord.data.calib.StereoPairBatches;
import io.concord.data.calib.StereoPairGenerator;
import io.concord.data.calib.StereoRigConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Single-thread profile of one local step of the calibration network (not a test): what a Concord partition does per
 * step (batch conversion, DL4J forward/backward through the bridge, Concord's Adam) against what a DL4J worker does
 * per minibatch ({@code ComputationGraph.fit} with DL4J's Adam on a ready MultiDataSet), alternating so both see the
 * same machine load.
 *
 * <pre>java -cp … io.concord.workload.calib.CalibStepProfile [size=64] [batch=16] [steps=60]</pre>
 */
public final class CalibStepProfile {

    private CalibStepProfile() {
    }

    public static void main(String[] args) {
        int size = 64;
        int batch = 16;
        int steps = 60;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "size" -> size = Integer.parseInt(kv[1]);
                case "batch" -> batch = Integer.parseInt(kv[1]);
                case "steps" -> steps = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown option " + kv[0]);
            }
        }
        List<StereoPair> pairs = new StereoPairGenerator(StereoRigConfig.cvgl(size), 3).generate(0, 4 * batch);
        ParamScaling scaling = ParamScaling.fit(StereoPairBatches.physicalLabels(pairs));
        CalibModel model = CalibModel.of(CalibNetConfig.small(size, size), UgclLossConfig.withConstraints(size, size,
                1.0), scaling);
        float[] params = new float[model.model().numParams()];
        model.model().initParams(params, 1);
        float[] grad = new float[params.length];
        Adam adam = Adam.adam(1e-4);
        float[] state = new float[adam.stateSize(params.length)];
        ComputationGraph dl4j = new ComputationGraph(model.configuration());
        dl4j.init();
        dl4j.params().assign(Nd4j.createFromArray(params).castTo(DataType.FLOAT));
        List<MultiDataSet> ready = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            ready.add(StereoPairBatches.converter(model.net().fusion(), scaling).convert(pairs.subList(b * batch,
                    (b + 1) * batch)));
        }
        long convert = 0;
        long gradient = 0;
        long optimizer = 0;
        long fit = 0;
        long load = 0;
        long backprop = 0;
        long copy = 0;
        for (int s = 0; s < 2 * steps; s++) {
            boolean measure = s >= steps; // the first half warms up both paths
            List<StereoPair> b = pairs.subList((s % 4) * batch, (s % 4 + 1) * batch);
            long t0 = System.nanoTime();
            StereoPairBatches.converter(model.net().fusion(), scaling).convert(b);
            long t1 = System.nanoTime();
            java.util.Arrays.fill(grad, 0f);
            model.model().accumulateGradient(params, b, grad, SimpleStepContext.of(1, s));
            long t2 = System.nanoTime();
            adam.step(params, grad, state, s + 1L);
            long t3 = System.nanoTime();
            dl4j.fit(ready.get(s % 4));
            long t4 = System.nanoTime();
            // The bridge's steps one by one: load parameters, forward/backward, copy the gradient out.
            ComputationGraph g = (ComputationGraph) model.model().networkWith(params);
            long t5 = System.nanoTime();
            MultiDataSet data = ready.get(s % 4);
            g.setInputs(data.getFeatures());
            g.setLabels(data.getLabels());
            g.computeGradientAndScore();
            long t6 = System.nanoTime();
            float[] out = g.gradient().gradient().castTo(DataType.FLOAT).toFloatVector();
            long t7 = System.nanoTime();
            if (measure) {
                convert += t1 - t0;
                gradient += t2 - t1;
                optimizer += t3 - t2;
                fit += t4 - t3;
                load += t5 - t4;
                backprop += t6 - t5;
                copy += t7 - t6;
            }
        }
        System.out.printf(Locale.ROOT, "per step of %d pairs at %dx%d (%d params), mean of %d steps, one thread:%n"
                        + "  Concord: batch conversion %.1f ms (inside the gradient call too), gradient through the "
                        + "DL4J bridge %.1f ms, Concord Adam %.2f ms%n  DL4J:    ComputationGraph.fit %.1f ms%n"
                + "  bridge steps: load parameters %.2f ms, computeGradientAndScore %.1f ms, gradient copy %.2f ms%n",
                batch, size, size, params.length, steps, convert / 1e6 / steps, gradient / 1e6 / steps,
                optimizer / 1e6 / steps, fit / 1e6 / steps, load / 1e6 / steps, backprop / 1e6 / steps,
                copy / 1e6 / steps);
    }
}
