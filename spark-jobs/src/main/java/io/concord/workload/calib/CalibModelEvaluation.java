package io.concord.workload.calib;

import io.concord.config.ConfigException;
import io.concord.core.calib.CalibParam;
import io.concord.data.calib.StereoPair;
import io.concord.data.io.OnBadRecord;
import io.concord.workload.source.ImagePairColumns;
import io.concord.workload.source.ImagePairTables;
import io.concord.workload.source.TableSource;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code concord evaluate} of a committed {@code calib} run on a table of labelled image pairs (the columns of
 * {@link ImagePairColumns}, defaults): per-parameter MAE of the exported {@code network.zip} with the training
 * evaluator's sums ({@link CalibEvaluator#absoluteErrorSums}, folded in partition order), the median predictor of the
 * run's training labels ({@code details.trainMedian}) on the same pairs, and {@code relativeMae}, as the run reports.
 */
public final class CalibModelEvaluation {

    private CalibModelEvaluation() {
    }

    public static Map<String, Double> evaluate(SparkSession spark, Path run, TableSource data) {
        CalibExport export = CalibExport.read(run, spark.sparkContext().hadoopConfiguration());
        double[] median = export.trainMedian();
        if (median == null) {
            throw new ConfigException("--model", "model.json of " + run + " has no details.trainMedian (committed "
                    + "before it was written; retrain to evaluate)");
        }
        ImagePairColumns columns = ImagePairColumns.defaults();
        Dataset<Row> rows = ImagePairTables.select(spark, data, columns);
        ImagePairTables.imageSize(List.of(data), List.of(rows), columns);
        JavaRDD<StereoPair> pairs = ImagePairTables.pairs(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                data, rows, columns, OnBadRecord.FAIL);
        List<double[]> parts = pairs.mapPartitions(it -> {
            List<StereoPair> all = new ArrayList<>();
            it.forEachRemaining(all::add);
            double[] model = all.isEmpty() ? new double[CalibParam.COUNT + 1] : CalibEvaluator.absoluteErrorSums(
                    export.network(), export.scaling(), export.fusion(), all);
            double[] base = new double[CalibParam.COUNT];
            for (StereoPair p : all) {
                for (int k = 0; k < CalibParam.COUNT; k++) {
                    base[k] += Math.abs(median[k] - p.label()[k]);
                }
            }
            double[] both = new double[2 * CalibParam.COUNT + 1];
            System.arraycopy(model, 0, both, 0, CalibParam.COUNT + 1);
            System.arraycopy(base, 0, both, CalibParam.COUNT + 1, CalibParam.COUNT);
            return List.of(both).iterator();
        }).collect();
        double[] total = new double[2 * CalibParam.COUNT + 1];
        for (double[] p : parts) {
            for (int i = 0; i < total.length; i++) {
                total[i] += p[i];
            }
        }
        double n = total[CalibParam.COUNT];
        double[] mae = new double[CalibParam.COUNT];
        double[] medianMae = new double[CalibParam.COUNT];
        for (int k = 0; k < CalibParam.COUNT; k++) {
            mae[k] = total[k] / n;
            medianMae[k] = total[CalibParam.COUNT + 1 + k] / n;
        }
        Map<String, Double> metrics = CalibEvaluator.metrics(mae, medianMae);
        for (CalibParam p : CalibParam.values()) {
            metrics.put("median.mae." + p.key(), medianMae[p.index()]);
        }
        metrics.put("pairs", n);
        return metrics;
    }
}
