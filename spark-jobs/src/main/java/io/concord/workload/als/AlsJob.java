package io.concord.workload.als;

import io.concord.core.metric.RankingResult;
import io.concord.core.ultragcn.Interaction;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.engine.checkpoint.FloatArrays;
import io.concord.job.Job;
import io.concord.job.JobContext;
import io.concord.job.JobResult;
import io.concord.workload.recsys.GraphLoader;
import io.concord.workload.source.InteractionSource;
import io.concord.workload.source.InteractionTables;
import io.concord.workload.recsys.RankingEvaluator;
import io.concord.model.FactorModel;
import io.concord.model.ModelManifest.ModelFile;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code als}: the baseline a Spark user would reach for, Spark MLlib's ALS with implicit preferences (Hu, Koren,
 * Volinsky), on the same data and with the same distributed full-ranking evaluation as {@code ultragcn}
 * ({@link RankingEvaluator}: train items masked, Recall/NDCG/Precision@k, the official averaging). Every point of a
 * small grid over (rank, regParam, alpha) is fitted and evaluated; the best by {@code eval.metric} is reported, its
 * factors written under {@code model/}, and the whole grid to {@code grid.csv}. Like the official UltraGCN protocol,
 * the selection uses the test split (the split files have no validation part).
 */
public final class AlsJob implements Job<AlsConfig> {

    /** The MLlib model directory under {@code model/}. */
    public static final String ALS_MODEL = "als-model";

    @Override
    public String name() {
        return "als";
    }

    @Override
    public String description() {
        return "Spark MLlib implicit ALS baseline with a (rank, regParam, alpha) grid, full-ranking eval";
    }

    @Override
    public Class<AlsConfig> configType() {
        return AlsConfig.class;
    }

    @Override
    public void checkInputs(AlsConfig config, Configuration hadoopConf) {
        GraphLoader.checkExists(config.data(), hadoopConf);
    }

    @Override
    public JobResult run(AlsConfig config, JobContext ctx) throws IOException {
        InteractionTables.Loaded loaded = InteractionSource.load(config.data(), config.seed(), ctx);
        InteractionGraph graph = loaded.graph();
        loaded.writeIdMaps(ctx.runDir(), ctx.hadoopConf());
        ctx.console().printf("graph: %s from %s%n", graph, config.data().describe());
        int parallelism = ctx.jsc().defaultParallelism();
        JavaRDD<Row> rows = ctx.jsc().parallelize(graph.trainInteractions(), parallelism)
                .map(AlsJob::row);
        StructType schema = new StructType()
                .add("user", DataTypes.IntegerType, false)
                .add("item", DataTypes.IntegerType, false)
                .add("rating", DataTypes.FloatType, false);
        Dataset<Row> ratings = ctx.spark().createDataFrame(rows, schema).persist(StorageLevel.MEMORY_ONLY());
        AlsConfig.Grid grid = config.als();
        int blocks = grid.numBlocks() > 0 ? grid.numBlocks() : parallelism;
        String metric = config.eval().metric();

        StringBuilder csv = new StringBuilder("rank,regParam,alpha,maxIter,fitSeconds,recall@" + config.eval().k()
                + ",ndcg@" + config.eval().k() + ",precision@" + config.eval().k() + "\n");
        Map<String, Double> best = null;
        Fitted bestFit = null;
        double totalFitSeconds = 0;
        try (RankingEvaluator evaluator = new RankingEvaluator(ctx.jsc(), graph, config.eval())) {
            for (int rank : grid.rank()) {
                for (double reg : grid.regParam()) {
                    for (double alpha : grid.alpha()) {
                        long t0 = System.nanoTime();
                        ALSModel model = new ALS().setImplicitPrefs(true).setRank(rank).setRegParam(reg)
                                .setAlpha(alpha).setMaxIter(grid.maxIter()).setNumUserBlocks(blocks)
                                .setNumItemBlocks(blocks).setSeed(config.seed()).setUserCol("user")
                                .setItemCol("item").setRatingCol("rating").fit(ratings);
                        Fitted fit = new Fitted(rank, reg, alpha, model,
                                factors(model.userFactors(), graph.numUsers(), rank),
                                factors(model.itemFactors(), graph.numItems(), rank),
                                (System.nanoTime() - t0) / 1e9);
                        totalFitSeconds += fit.seconds;
                        RankingResult r = evaluator.evaluate(fit.users, 0, fit.items, 0, rank);
                        Map<String, Double> m = RankingEvaluator.metrics(r);
                        ctx.console().printf("als rank %d regParam %g alpha %g: %s (fit %.1f s)%n", rank, reg,
                                alpha, m, fit.seconds);
                        csv.append(String.format("%d,%s,%s,%d,%.3f,%.6f,%.6f,%.6f%n", rank, reg, alpha,
                                grid.maxIter(), fit.seconds, r.recall(), r.ndcg(), r.precision()));
                        if (best == null || m.get(metric) > best.get(metric)) {
                            best = m;
                            bestFit = fit;
                        }
                    }
                }
            }
        }
        ratings.unpersist();
        RunDirectory dir = ctx.runDir();
        dir.writeString("grid.csv", csv.toString());
        write(dir, "model/user-factors.bin", bestFit.users);
        write(dir, "model/item-factors.bin", bestFit.items);
        writeModel(ctx, graph, bestFit, config);
        Map<String, Double> metrics = new LinkedHashMap<>(best);
        metrics.put("rank", (double) bestFit.rank);
        metrics.put("regParam", bestFit.reg);
        metrics.put("alpha", bestFit.alpha);
        metrics.put("fitSeconds", bestFit.seconds);
        metrics.put("gridFitSeconds", totalFitSeconds);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("users", graph.numUsers());
        details.put("items", graph.numItems());
        details.put("trainInteractions", graph.trainSize());
        details.put("gridPoints", grid.size());
        details.put("maxIter", grid.maxIter());
        details.put("blocks", blocks);
        details.put("source", config.data().describe());
        return new JobResult(grid.size(), Double.NaN, metrics, details);
    }

    /** The portable model: factor tables ({@link FactorModel}) and the MLlib model ({@code ALSModel.load}). */
    private static void writeModel(JobContext ctx, InteractionGraph graph, Fitted fit, AlsConfig config)
            throws IOException {
        String mllib = ctx.runDir().staged("model/" + ALS_MODEL).toString();
        fit.model.write().overwrite().save(mllib);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rank", fit.rank);
        details.put("regParam", fit.reg);
        details.put("alpha", fit.alpha);
        details.put("maxIter", config.als().maxIter());
        details.put("eval", Map.of("k", config.eval().k(), "averaging", config.eval().averaging(), "userBlock",
                config.eval().userBlock()));
        FactorModel.write(ctx, fit.users, 0, fit.items, 0, graph.numUsers(), graph.numItems(), fit.rank,
                graph.train(), List.of(
                        new ModelFile(ALS_MODEL, "spark-mllib-als", "ALSModel.load(path): user/item columns are "
                                + "the dense indices (see the id maps)"),
                        new ModelFile("user-factors.bin", "concord-float-array", "users × rank, row-major"),
                        new ModelFile("item-factors.bin", "concord-float-array", "items × rank, row-major")),
                details);
    }

    private static Row row(Interaction x) {
        return RowFactory.create(x.user(), x.item(), 1.0f);
    }

    /** Dense row-major factors; ids ALS never saw (no train interactions) stay 0. */
    static float[] factors(Dataset<Row> table, int n, int rank) {
        float[] out = new float[n * rank];
        List<Row> rows = table.collectAsList();
        for (Row r : rows) {
            int id = r.getInt(0);
            List<Object> f = r.getList(1);
            if (id < 0 || id >= n || f.size() != rank) {
                throw new IllegalStateException("unexpected ALS factor row " + id + " of size " + f.size());
            }
            for (int k = 0; k < rank; k++) {
                out[id * rank + k] = ((Number) f.get(k)).floatValue();
            }
        }
        return out;
    }

    private static void write(RunDirectory dir, String relative, float[] values) {
        try (OutputStream out = dir.create(relative)) {
            FloatArrays.write(out, values);
        } catch (IOException e) {
            throw new RunDirectory.OutputException("writing " + relative + " failed: " + e.getMessage(), e);
        }
    }

    private record Fitted(int rank, double reg, double alpha, ALSModel model, float[] users, float[] items, double seconds) {
    }

}
