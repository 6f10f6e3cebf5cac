package io.concord.workload.moe;

import io.concord.config.ConfigException;
import io.concord.core.moe.MoeExample;
import io.concord.core.moe.MoeModel;
import io.concord.core.moe.MoeTask;
import io.concord.data.io.ReadOptions;
import io.concord.data.moe.MoeJsonlReader;
import io.concord.job.JobRunner;
import io.concord.job.PerFileRead;
import io.concord.model.ModelManifest;
import io.concord.workload.pref.ModelFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code concord evaluate} of a committed {@code moe} run on JSONL files: the network rebuilt from the run's
 * {@code config.effective.yaml} ({@code model}, {@code moe}) and {@code model.json}'s data shape ({@code task},
 * {@code inputDim}, {@code classes}, {@code domains}), its {@code params.bin}, and the job's own
 * {@link MoeEvaluator} and {@link RoutingMetrics} (one task per file, tallies merged in partition order).
 */
public final class MoeModelEvaluation {

    private MoeModelEvaluation() {
    }

    public static Map<String, Double> evaluate(JavaSparkContext sc, Path run, String data) {
        Configuration conf = sc.hadoopConfiguration();
        Map<String, Object> d = ModelManifest.read(run, conf).details();
        if (!(d.get("classes") instanceof Number classes) || !(d.get("domains") instanceof List<?> names)) {
            throw new ConfigException("--model", "model.json of " + run + " has no details.classes/domains "
                    + "(committed before they were written; retrain to evaluate)");
        }
        MoeTask task = MoeTask.valueOf(String.valueOf(d.get("task")).toUpperCase(Locale.ROOT));
        int inputDim = ((Number) d.getOrDefault("inputDim", 0)).intValue();
        List<String> domains = names.stream().map(String::valueOf).toList();
        MoeJobConfig config = JobRunner.loadConfig(new MoeJob(), new Path(run, "config.effective.yaml").toString(),
                List.of(), conf);
        int vocab = task == MoeTask.NEXT_TOKEN ? classes.intValue() : 0;
        List<String> files = MoeData.files(List.of(data), conf, "--data");
        JavaRDD<MoeExample> examples = PerFileRead.read(sc, files, ReadOptions.defaults(),
                (f, file, c, o, bad) -> new MoeJsonlReader(domains, vocab).read(MoeData.fileSystem(file, c), file, o, bad));
        MoeModel model = new MoeModel(MoeJob.modelConfig(config, new MoeData(examples, examples, task, inputDim,
                classes.intValue(), domains, data, null)));
        float[] params = ModelFiles.readParams(new Path(new Path(run, "model"), "params.bin"), conf);
        return RoutingMetrics.of(new MoeEvaluator(sc, model, examples).tally(params), "");
    }
}
