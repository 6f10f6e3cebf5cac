package io.concord.workload.calib;

import io.concord.config.ConfigException;
import io.concord.core.calib.CalibMae;
import io.concord.core.calib.CalibParam;
import io.concord.core.calib.MedianPredictor;
import io.concord.core.calib.ParamScaling;
import io.concord.core.optim.Optimizer;
import io.concord.data.calib.StereoDataset;
import io.concord.data.calib.StereoPair;
import io.concord.engine.Shard;
import io.concord.engine.StatisticSet;
import io.concord.job.EvaluationListener;
import io.concord.job.Job;
import io.concord.job.JobContext;
import io.concord.model.NetworkZip;
import io.concord.job.JobResult;
import io.concord.job.TrainingRun;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.concord.data.DataException;

/**
 * {@code calib}: image-pair camera calibration (UGCL, Waleed, Rauf, Taj 2024). A CNN over a stereo pair regresses
 * f_x, f_y, p_x, p_y, baseline, disparity, t_x, t_y, t_z and pitch, trained through the Concord engine (parameter
 * averaging by default) with a supervised loss plus the UGCL geometric constraints on the projection matrix built
 * from the predictions. Data: generated stereo pairs written as shards to any Hadoop FileSystem, or existing shards.
 * Evaluates per-parameter MAE in physical units against the median predictor on held-out pairs every
 * {@code eval.every} rounds, and writes the result table into {@code report/}.
 */
public final class CalibJob implements Job<CalibJobConfig> {

    @Override
    public String name() {
        return "calib";
    }

    @Override
    public String description() {
        return "stereo-pair camera calibration CNN with UGCL geometric-constraint losses (generated or sharded data)";
    }

    @Override
    public Class<CalibJobConfig> configType() {
        return CalibJobConfig.class;
    }

    @Override
    public void validate(CalibJobConfig config) {
        StepDecay.of(config.optimizer(), config.lrDecay(), config.train());
        String metric = config.eval().metricOr(CalibJobConfig.RELATIVE_MAE);
        if (!CalibJobConfig.metricNames().contains(metric)) {
            throw new ConfigException("eval.metric", metric, String.join(", ", CalibJobConfig.metricNames()));
        }
        if (!config.eval().modeOr("min").equals("min")) {
            throw new ConfigException("eval.mode", config.eval().mode(), "min (" + metric + " is an error: lower is "
                    + "better)");
        }
    }

    @Override
    public void checkInputs(CalibJobConfig config, Configuration hadoopConf) {
        CalibJobConfig.Data data = config.data();
        if (!data.tableSources().isEmpty()) {
            return;
        }
        for (String dir : new String[] {data.path(), data.testPath()}) {
            if (dir != null) {
                Path path = new Path(dir);
                try {
                    StereoDataset.shards(path.getFileSystem(hadoopConf), path);
                } catch (IOException e) {
                    throw new DataException(dir, "cannot open its file system: " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public JobResult run(CalibJobConfig config, JobContext ctx) {
        CalibData data = CalibData.load(config, ctx.spark(), ctx.jsc(), ctx.runDir().staged("data"), ctx.console());
        ParamScaling scaling = ParamScaling.fit(data.trainLabels());
        CalibModel model = CalibModel.of(config.model().network(data.width(), data.height(), config.seed()),
                config.loss().config(data.width(), data.height()), scaling);
        Optimizer optimizer = StepDecay.of(config.optimizer(), config.lrDecay(), config.train());
        JavaRDD<Shard<StereoPair>> shards = TrainingRun.shard(ctx, data.train(), config.train(), config.seed(),
                data.source());

        double[] medianMae = CalibMae.ofMedian(data.trainLabels(), data.testLabels());
        JavaRDD<StereoPair> heldOut = data.test().persist(StorageLevel.MEMORY_AND_DISK_SER());
        CalibEvaluator evaluator = new CalibEvaluator(ctx.jsc(), model, heldOut, medianMae);
        CalibReport report = new CalibReport(medianMae);
        EvaluationListener evaluation = new EvaluationListener((params, round) -> {
            double[] mae = evaluator.mae(params);
            report.add(round + 1, mae);
            return CalibEvaluator.metrics(mae, medianMae);
        }, config.eval(), CalibJobConfig.RELATIVE_MAE, "min", config.train().rounds(), ctx.runDir());
        TrainingRun.Outcome<StereoPair> outcome = TrainingRun.train(ctx, model.model(), optimizer, config.train(),
                config.seed(), StatisticSet.empty(), shards, evaluation);

        int rounds = outcome.state().nextRound();
        List<Map.Entry<Integer, double[]>> history = report.history();
        double[] finalMae = history.isEmpty() || history.get(history.size() - 1).getKey() != rounds
                ? evaluator.mae(outcome.state().params()) : history.get(history.size() - 1).getValue();
        int bestRound = EvaluationListener.bestRound(outcome.state());
        Map<String, double[]> results = new LinkedHashMap<>();
        results.put("final (" + rounds + " rounds)", finalMae);
        history.stream().filter(e -> e.getKey() == bestRound + 1).findFirst()
                .ifPresent(e -> results.put("best (" + e.getKey() + " rounds)", e.getValue()));
        report.write(ctx.runDir(), results);
        ctx.console().print(CalibMae.table(report.rows(results)));

        Map<String, Double> metrics = new LinkedHashMap<>(CalibEvaluator.metrics(finalMae, medianMae));
        evaluation.bestMetrics().forEach((k, v) -> metrics.put("best." + k, v));
        metrics.put("bestRound", (double) bestRound);
        for (CalibParam p : CalibParam.values()) {
            metrics.put("median.mae." + p.key(), medianMae[p.index()]);
        }
        shards.unpersist(false);
        heldOut.unpersist(false);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("numParams", model.model().numParams());
        details.put("imageWidth", data.width());
        details.put("imageHeight", data.height());
        details.put("trainExamples", data.trainLabels().length);
        details.put("testExamples", data.testLabels().length);
        details.put("data", data.source());
        details.put("constraints", config.loss().constrained());
        details.put("scalingOffsets", scaling.offsets());
        details.put("scalingScales", scaling.scales());
        Map<String, Object> modelDetails = new LinkedHashMap<>();
        modelDetails.put("imageWidth", data.width());
        modelDetails.put("imageHeight", data.height());
        modelDetails.put("output", "normalized calibration parameters; physical = offset + scale × output");
        modelDetails.put("fusion", config.model().fusion());
        modelDetails.put("trainMedian", MedianPredictor.fit(data.trainLabels()).predict());
        modelDetails.put("parameters", Arrays.stream(CalibParam.values()).map(CalibParam::key).toList());
        modelDetails.put("scalingOffsets", scaling.offsets());
        modelDetails.put("scalingScales", scaling.scales());
        NetworkZip.write(ctx, model.model(), outcome.state().params(), List.of(), modelDetails);
        return new JobResult(outcome.state().nextRound(), outcome.finalLoss(), metrics, details);
    }
}
