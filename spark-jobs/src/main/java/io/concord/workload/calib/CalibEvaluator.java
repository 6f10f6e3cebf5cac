package io.concord.workload.calib;

import io.concord.core.calib.CalibMae;
import io.concord.core.calib.CalibNetConfig;
import io.concord.core.calib.CalibNetwork;
import io.concord.core.calib.CalibParam;
import io.concord.core.calib.ParamScaling;
import io.concord.core.model.dl4j.Dl4jNetworkModel;
import io.concord.data.calib.StereoPair;
import io.concord.data.calib.StereoPairBatches;
import io.concord.job.PartitionOrderedSum;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out evaluation on executors: the parameters are broadcast, every partition of the held-out set predicts its
 * pairs in inference mode and sums the absolute errors per parameter in physical units, and the driver adds the
 * partitions' sums in partition order (reproducible). Metrics: {@code mae.<param>} (pixels, metres, radians) and
 * {@code relativeMae}, the mean over the parameters of MAE ÷ the median predictor's MAE on the same pairs
 * (parameters the median predicts exactly, such as a fixed principal point, are skipped): 1 is the constant
 * baseline, 0 is perfect.
 */
final class CalibEvaluator {

    private static final int BATCH = 64;

    private final JavaSparkContext sc;
    private final Dl4jNetworkModel<StereoPair> model;
    private final ParamScaling scaling;
    private final CalibNetConfig.Fusion fusion;
    private final JavaRDD<StereoPair> heldOut;
    private final double[] medianMae;

    /**
     * @param heldOut   held-out pairs (the caller caches them)
     * @param medianMae MAE of the training labels' median on {@code heldOut}
     */
    CalibEvaluator(JavaSparkContext sc, CalibModel model, JavaRDD<StereoPair> heldOut, double[] medianMae) {
        this.sc = sc;
        this.model = model.model();
        this.scaling = model.scaling();
        this.fusion = model.net().fusion();
        this.heldOut = heldOut;
        this.medianMae = medianMae.clone();
    }

    double[] medianMae() {
        return medianMae.clone();
    }

    /** Per-parameter MAE of {@code params} on the held-out pairs. */
    double[] mae(float[] params) {
        Dl4jNetworkModel<StereoPair> m = model;
        ParamScaling s = scaling;
        CalibNetConfig.Fusion f = fusion;
        double[] total = PartitionOrderedSum.sums(sc, heldOut, params, (p, it) -> {
            List<StereoPair> all = new ArrayList<>();
            it.forEachRemaining(all::add);
            return absoluteErrorSums(m, s, f, p, all);
        });
        double[] mae = new double[CalibParam.COUNT];
        for (int k = 0; k < CalibParam.COUNT; k++) {
            mae[k] = total[CalibParam.COUNT] == 0 ? Double.NaN : total[k] / total[CalibParam.COUNT];
        }
        return mae;
    }

    /** {@code mae.<param>} and {@code relativeMae} of {@code params}. */
    Map<String, Double> evaluate(float[] params) {
        return metrics(mae(params), medianMae);
    }

    static Map<String, Double> metrics(double[] mae, double[] medianMae) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(CalibJobConfig.RELATIVE_MAE, CalibMae.relativeMean(mae, medianMae));
        for (CalibParam p : CalibParam.values()) {
            out.put("mae." + p.key(), mae[p.index()]);
        }
        return out;
    }

    /** {@code [Σ|err_0|, …, Σ|err_9|, count]} of one partition. */
    static double[] absoluteErrorSums(Dl4jNetworkModel<StereoPair> model, ParamScaling scaling,
                                      CalibNetConfig.Fusion fusion, float[] params, List<StereoPair> pairs) {
        if (pairs.isEmpty()) {
            return new double[CalibParam.COUNT + 1];
        }
        return absoluteErrorSums((ComputationGraph) model.networkWith(params), scaling, fusion, pairs);
    }

    /** {@code [Σ|err_0|, …, Σ|err_9|, count]} of {@code pairs} under {@code network}, in batches of {@value #BATCH}. */
    static double[] absoluteErrorSums(ComputationGraph network, ParamScaling scaling, CalibNetConfig.Fusion fusion,
                                      List<StereoPair> pairs) {
        double[] sums = new double[CalibParam.COUNT + 1];
        for (int start = 0; start < pairs.size(); start += BATCH) {
            List<StereoPair> batch = pairs.subList(start, Math.min(pairs.size(), start + BATCH));
            double[][] predicted = CalibNetwork.predict(network, scaling, StereoPairBatches.features(batch, fusion));
            for (int i = 0; i < batch.size(); i++) {
                float[] truth = batch.get(i).label();
                for (int k = 0; k < CalibParam.COUNT; k++) {
                    sums[k] += Math.abs(predicted[i][k] - truth[k]);
                }
            }
        }
        sums[CalibParam.COUNT] = pairs.size();
        return sums;
    }
}
