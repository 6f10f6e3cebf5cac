package io.concord.data.calib;

import io.concord.core.calib.CalibMae;
import io.concord.core.calib.CalibNetConfig;
import io.concord.core.calib.CalibNetwork;
import io.concord.core.calib.ParamScaling;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;

/** Per-parameter MAE (physical units) of a calibration network on a list of pairs, in inference mode. */
public final class StereoPairEvaluation {

    private StereoPairEvaluation() {
    }

    public static double[] mae(ComputationGraph network, ParamScaling scaling, CalibNetConfig.Fusion fusion,
                               List<StereoPair> pairs, int batchSize) {
        CalibMae mae = new CalibMae();
        for (int start = 0; start < pairs.size(); start += batchSize) {
            List<StereoPair> batch = pairs.subList(start, Math.min(pairs.size(), start + batchSize));
            double[][] predicted = CalibNetwork.predict(network, scaling, StereoPairBatches.features(batch, fusion));
            for (int i = 0; i < batch.size(); i++) {
                mae.add(predicted[i], batch.get(i).labelVector());
            }
        }
        return mae.mae();
    }

    /** MAE of the training labels' per-parameter median on {@code test}. */
    public static double[] medianMae(List<StereoPair> train, List<StereoPair> test) {
        return CalibMae.ofMedian(StereoPairBatches.physicalLabels(train), StereoPairBatches.physicalLabels(test));
    }
}
