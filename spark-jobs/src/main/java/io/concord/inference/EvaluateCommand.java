package io.concord.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.concord.config.ConfigException;
import io.concord.core.metric.RankingResult;
import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.data.DataException;
import io.concord.data.graph.AdjacencyListFormat;
import io.concord.data.graph.IdMap;
import io.concord.data.graph.InteractionFormatException;
import io.concord.core.model.LabeledVector;
import io.concord.model.FactorModel;
import io.concord.model.ModelManifest;
import io.concord.workload.calib.CalibModelEvaluation;
import io.concord.workload.logreg.LogRegJob;
import io.concord.workload.moe.MoeModelEvaluation;
import io.concord.workload.pref.PrefModelEvaluation;
import io.concord.workload.source.SqlFormat;
import io.concord.workload.source.TableSource;
import io.concord.run.RunDirectory;
import io.concord.workload.recsys.RankingEvalSection;
import io.concord.workload.recsys.RankingEvaluator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code concord evaluate}: a committed model on a test set, with the evaluator its training job uses, printed as
 * JSON and, with {@code --output}, committed as {@code <output>/metrics.json}. Recommenders: {@link RankingEvaluator}
 * (train items masked, the run's {@code eval.k}, averaging and user blocks unless overridden) on the exported factor
 * tables. Classifiers (logreg): {@link LogRegJob#evaluate} (accuracy, mean cross-entropy) with the probabilities of
 * the exported {@code weights.json} or {@code network.zip}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a committed ultragcn/als model (full ranking, train items masked), logreg model "
                + "(accuracy, test loss) or calib model (per-parameter MAE, median baseline, relativeMae) on a test "
                + "set and print the metrics as JSON.")
public final class EvaluateCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--model", required = true, description = "committed run directory of ultragcn or als")
    String model;
    @Option(names = "--data", required = true, description = "recommenders: test interactions, a LightGCN file "
            + "(user item item ... per line, integer ids), a Parquet table directory or .parquet file, or "
            + "table:<catalog table> with columns --user-column, --item-column (original ids); logreg: labelled "
            + "vectors, a CSV file label,x1,...,xd or a table with --features-column, --label-column")
    String data;
    @Option(names = "--user-column", defaultValue = "user", description = "default: user")
    String userColumn;
    @Option(names = "--item-column", defaultValue = "item", description = "default: item")
    String itemColumn;
    @Option(names = "--features-column", defaultValue = "features", description = "classifiers: the features "
            + "array column of a table (default: features)")
    String featuresColumn;
    @Option(names = "--label-column", defaultValue = "label", description = "classifiers: the label column of a "
            + "table (default: label)")
    String labelColumn;
    @Option(names = "--k", description = "cut-off (default: the run's eval.k)")
    Integer k;
    @Option(names = "--averaging", description = "all-users or users-with-test-items (default: the run's)")
    String averaging;
    @Option(names = "--output", description = "also commit <output>/metrics.json (the name must be a valid run id)")
    String output;
    @Option(names = "--held-out", description = "pref-align: only the pairs of --data the run held out (its "
            + "data.heldOutFraction, by a hash of the prompt)")
    boolean heldOut;
    @Option(names = "--master", description = "Spark master for embedded runs (default local[*])")
    String master;
    @Option(names = "--overwrite", description = "replace an already committed output")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        Configuration conf = new Configuration();
        RunDirectory out = output == null ? null : InferenceRun.outputDirectory(output, conf);
        if (out != null) {
            if (InferenceRun.alreadyCommitted(out, overwrite, System.out)) {
                return 0;
            }
            InferenceRun.begin(out, overwrite);
        }
        SparkSession spark = InferenceRun.spark("evaluate", master);
        try {
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            ModelManifest manifest = ModelManifest.read(new Path(model), hadoop);
            if (manifest.job().equals("moe")) {
                return report(report(manifest, MoeModelEvaluation.evaluate(JavaSparkContext.fromSparkContext(
                        spark.sparkContext()), new Path(model), data)), out, overwrite);
            }
            if (manifest.job().equals("pref-align")) {
                return report(report(manifest, PrefModelEvaluation.evaluate(spark, new Path(model),
                        PairScorer.effectiveConfig(new Path(model), hadoop), data, heldOut)), out, overwrite);
            }
            if (manifest.job().equals("calib")) {
                boolean table = data.startsWith("table:");
                return report(report(manifest, CalibModelEvaluation.evaluate(spark, new Path(model), new TableSource(
                        table ? SqlFormat.TABLE : SqlFormat.PARQUET, table ? data.substring(6) : data, null, null,
                        "--data"))), out, overwrite);
            }
            if (!manifest.modelType().equals(ModelManifest.FACTORS)) {
                return classifier(spark, manifest, out);
            }
            FactorModel m = FactorModel.load(spark, new Path(model), hadoop);
            Adjacency test = readTest(spark, m, hadoop);
            RankingEvalSection eval = section(m);
            InteractionGraph graph = new InteractionGraph(m.train(), test);
            RankingResult r;
            try (RankingEvaluator evaluator = new RankingEvaluator(JavaSparkContext.fromSparkContext(
                    spark.sparkContext()), graph, eval)) {
                r = evaluator.evaluate(m.userFactors(spark), 0, m.itemFactors(), 0, m.dim());
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", model);
            report.put("job", m.manifest().job());
            report.put("runId", m.manifest().runId());
            report.put("data", data);
            report.put("k", eval.k());
            report.put("averaging", eval.averaging());
            report.put("users", m.numUsers());
            report.put("usersWithTestItems", graph.usersWithTestItems());
            report.put("testInteractions", test.nnz());
            report.put("metrics", RankingEvaluator.metrics(r));
            return report(report, out, overwrite);
        } finally {
            spark.stop();
            InferenceRun.release(out);
        }
    }

    private static int report(Map<String, Object> report, RunDirectory out, boolean overwrite) throws IOException {
        String json = JSON.writeValueAsString(report) + "\n";
        System.out.print(json);
        if (out != null) {
            out.writeString("metrics.json", json);
            InferenceRun.commit(out, overwrite);
            System.out.println("committed " + out.committedPath());
        }
        return 0;
    }

    /**
     * A logreg model on labelled vectors (a CSV {@code label,x1,…,xd} read by the job's own reader, or a Parquet
     * table with {@code --features-column} and {@code --label-column}): accuracy and mean cross-entropy by the
     * job's evaluator, the model's probabilities read from its portable files.
     */
    private int classifier(SparkSession spark, ModelManifest manifest, RunDirectory out) throws IOException {
        Classifier classifier = Classifier.load(new Path(model), spark.sparkContext().hadoopConfiguration());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<LabeledVector> examples = data.startsWith("table:")
                || isTable(data, spark.sparkContext().hadoopConfiguration())
                ? labelledRows(spark, classifier.dimension()) : LogRegJob.readCsv(sc, data);
        LogRegJob.Predictor predictor = (params, batch) -> {
            float[][] x = new float[batch.size()][];
            for (int i = 0; i < x.length; i++) {
                x[i] = batch.get(i).features();
            }
            return classifier.probabilities(x);
        };
        Map<String, Double> metrics = LogRegJob.evaluate(sc, examples, new float[0], predictor,
                classifier.classes());
        return report(report(manifest, metrics), out, overwrite);
    }

    /** {@code model}, {@code job}, {@code runId}, {@code data} and the metrics. */
    private Map<String, Object> report(ModelManifest manifest, Map<String, Double> metrics) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", model);
        report.put("job", manifest.job());
        report.put("runId", manifest.runId());
        report.put("data", data);
        report.put("metrics", metrics);
        return report;
    }

    private JavaRDD<LabeledVector> labelledRows(SparkSession spark, int dimension) {
        Dataset<Row> t = table(spark, featuresColumn, labelColumn);
        String source = data;
        String f = featuresColumn;
        return t.toJavaRDD().map(r -> {
            if (r.isNullAt(0) || r.isNullAt(1)) {
                throw new DataException(source, "a null " + (r.isNullAt(0) ? "column " + f : "label"));
            }
            List<Object> v = r.getList(0);
            if (v.size() != dimension) {
                throw new DataException(source, "column " + f + ": a feature vector of length " + v.size()
                        + ", the model takes " + dimension);
            }
            float[] x = new float[dimension];
            for (int j = 0; j < dimension; j++) {
                x[j] = ((Number) v.get(j)).floatValue();
            }
            return new LabeledVector(x, ((Number) r.get(1)).intValue());
        });
    }

    /** The run's own eval section (k, averaging, user blocks), with the command's overrides. */
    private RankingEvalSection section(FactorModel m) {
        Object saved = m.manifest().details().get("eval");
        Map<?, ?> e = saved instanceof Map<?, ?> map ? map : Map.of();
        Integer runK = e.get("k") instanceof Number n ? n.intValue() : null;
        String runAveraging = e.get("averaging") instanceof String s ? s : null;
        Integer block = e.get("userBlock") instanceof Number n ? n.intValue() : null;
        if (k != null && k < 1) {
            throw new ConfigException("--k", k, "an integer >= 1");
        }
        if (averaging != null && !averaging.equals("all-users") && !averaging.equals("users-with-test-items")) {
            throw new ConfigException("--averaging", averaging, "all-users, users-with-test-items");
        }
        return new RankingEvalSection(null, null, k != null ? k : runK, null, null,
                averaging != null ? averaging : runAveraging, block);
    }

    private Adjacency readTest(SparkSession spark, FactorModel m, Configuration conf) {
        int[] users;
        int[] items;
        int n;
        if (data.startsWith("table:") || isTable(data, conf)) {
            List<Row> rows = table(spark, userColumn, itemColumn).collectAsList();
            n = rows.size();
            users = new int[n];
            items = new int[n];
            for (int p = 0; p < n; p++) {
                users[p] = index(m.userIds(), rows.get(p).get(0), userColumn, "user");
                items[p] = index(m.itemIds(), rows.get(p).get(1), itemColumn, "item");
            }
        } else {
            Adjacency raw;
            try {
                raw = AdjacencyListFormat.read(new Path(data), conf);
            } catch (InteractionFormatException e) {
                throw new DataException(e.file(), e.line(), e.problem());
            } catch (FileNotFoundException e) {
                throw new DataException(data, "not found");
            } catch (IOException e) {
                throw new DataException(data, "cannot be read: " + e.getMessage(), e);
            }
            n = raw.nnz();
            users = new int[n];
            items = new int[n];
            int p = 0;
            for (int u = 0; u < raw.numRows(); u++) {
                for (int q = raw.rowStart(u); q < raw.rowEnd(u); q++) {
                    users[p] = index(m.userIds(), (long) u, "user", "user");
                    items[p++] = index(m.itemIds(), (long) raw.columnArray()[q], "item", "item");
                }
            }
        }
        return Adjacency.fromPairs(m.numUsers(), m.numItems(), users, items, n);
    }

    private Dataset<Row> table(SparkSession spark, String... columns) {
        try {
            Dataset<Row> t = data.startsWith("table:") ? spark.table(data.substring(6)) : spark.read().parquet(data);
            for (String c : columns) {
                if (!Arrays.asList(t.columns()).contains(c)) {
                    throw new DataException(data, "no column '" + c + "' (columns: " + String.join(", ", t.columns())
                            + ")");
                }
            }
            return t.select(columns[0], columns[1]);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // Spark's AnalysisException (a missing table or path) is checked for javac but not declared
            throw new DataException(data, "cannot be read: " + (e instanceof AnalysisException a ? a.getSimpleMessage()
                    : e.getMessage()), e);
        }
    }

    private int index(IdMap ids, Object original, String column, String role) {
        if (original == null) {
            throw new DataException(data, "column " + column + ": a null " + role + " id");
        }
        int i;
        if (ids.type() == IdMap.KeyType.STRING) {
            i = ids.indexOf(original.toString());
        } else if (original instanceof Number num) {
            i = ids.indexOf(num.longValue());
        } else {
            try {
                i = ids.indexOf(Long.parseLong(original.toString().trim()));
            } catch (NumberFormatException e) {
                throw new DataException(data, "column " + column + ": " + role + " id '" + original
                        + "' is not an integer like the model's ids");
            }
        }
        if (i < 0) {
            throw new DataException(data, "column " + column + ": " + role + " id '" + original
                    + "' is not in the model");
        }
        return i;
    }

    private static boolean isTable(String path, Configuration conf) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            return path.endsWith(".parquet") || (fs.exists(p) && fs.getFileStatus(p).isDirectory());
        } catch (IOException e) {
            throw new DataException(path, "cannot be read: " + e.getMessage(), e);
        }
    }
}
