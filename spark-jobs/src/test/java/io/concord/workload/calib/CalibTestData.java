package io.concord.workload.calib;

import io.concord.core.calib.CalibNetConfig;
import io.concord.core.calib.CalibNetwork;
import io.concord.core.calib.ParamScaling;
import io.concord.core.calib.UgclLossConfig;
import io.concord.core.calib.UgclLossFunction;
import io.concord.data.calib.StereoPair;
import io.concord.data.calib.StereoPairBatches;
import io.concord.data.calib.StereoPairGenerator;
import io.concord.data.calib.StereoRigConfig;
import io.concord.engine.Shard;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Tiny calibration data and networks shared by the exactness tests. */
final class CalibTestData {

    static final int SIZE = 16;
    static final long SEED = 11L;

    private CalibTestData() {
    }

    static List<StereoPair> pairs(int count) {
        StereoRigConfig rig = new StereoRigConfig(SIZE, SIZE, 50, 110, 0, 0, 0.8, 0.2, 0.7, 0, 0.5, -10, 10, -1, -1,
                1.2, 1.8, 1, 1, 2.0);
        return new StereoPairGenerator(rig, SEED).generate(0, count);
    }

    /** Double precision, two small convolutions, so gradients can be compared tightly. */
    static CalibNetConfig network() {
        return new CalibNetConfig(SIZE, SIZE, 3, CalibNetConfig.Fusion.STACKED, new int[] {4, 8}, 16, DataType.DOUBLE,
                1e-3, SEED);
    }

    /** Supervised L1 plus every constraint term at weight 1. */
    static CalibModel model(List<StereoPair> pairs) {
        return CalibModel.of(network(), UgclLossConfig.withConstraints(SIZE, SIZE, 1.0),
                ParamScaling.fit(StereoPairBatches.physicalLabels(pairs)));
    }

    /** The model's network, trained by DL4J's own {@code updater}, with {@code params} loaded. */
    static ComputationGraph dl4jNetwork(CalibModel model, IUpdater updater, float[] params) {
        ComputationGraphConfiguration conf = CalibNetwork.configuration(model.net(),
                new UgclLossFunction(model.loss(), model.scaling()), updater);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.params().assign(Nd4j.createFromArray(params).castTo(graph.params().dataType()));
        return graph;
    }

    /** Every record of the shards, in partition order. */
    static List<StereoPair> union(JavaRDD<Shard<StereoPair>> shards) {
        List<Shard<StereoPair>> list = new ArrayList<>(shards.collect());
        list.sort(Comparator.comparingInt(Shard::partition));
        List<StereoPair> out = new ArrayList<>();
        list.forEach(s -> out.addAll(s.records()));
        return out;
    }

    static double maxAbsDiff(float[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
