package io.concord.model;

import io.concord.config.ConfigException;
import io.concord.core.ultragcn.Adjacency;
import io.concord.data.graph.IdMap;
import io.concord.job.JobContext;
import io.concord.model.ModelManifest.ModelFile;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dot-product recommender (UltraGCN, ALS) as portable files under {@code model/}: the user and item factor tables
 * ({@link FactorTables}), the id maps ({@link IdMaps}), and the train interactions {@value #TRAIN} (dense
 * {@code user}, {@code item} indices) that {@code recommend} excludes and {@code evaluate} masks, described by
 * {@code model.json}. The score of user u for item j is {@code vector_u · vector_j}.
 *
 * @param userFactorsPath the user factor table (read distributed by {@code recommend})
 * @param itemFactors     the item factors, dense row-major {@code numItems × dim}
 * @param train           the train interactions, users × items
 */
public record FactorModel(ModelManifest manifest, Path run, IdMap userIds, IdMap itemIds, int numUsers,
                          int numItems, int dim, String userFactorsPath, float[] itemFactors, Adjacency train) {

    public static final String USER_FACTORS = "user-factors.parquet";
    public static final String ITEM_FACTORS = "item-factors.parquet";
    public static final String TRAIN = "train-interactions.parquet";
    private static final StructType TRAIN_SCHEMA = new StructType().add("user", DataTypes.IntegerType, false)
            .add("item", DataTypes.IntegerType, false);

    /**
     * Writes the model of a running job into its staging directory: the tables of rows {@code 0..numUsers-1} of
     * {@code users[userBase ..]} and {@code 0..numItems-1} of {@code items[itemBase ..]}, the id maps, the train
     * interactions, and {@code model.json} (with {@code extraFiles} and {@code details} added).
     */
    public static ModelManifest write(JobContext ctx, float[] users, int userBase, float[] items, int itemBase,
                                      int numUsers, int numItems, int dim, Adjacency train,
                                      List<ModelFile> extraFiles, Map<String, Object> details) {
        RunDirectory dir = ctx.runDir();
        Configuration conf = ctx.hadoopConf();
        SparkSession spark = ctx.spark();
        IdMap userIds = IdMaps.ensure(dir, IdMaps.USERS, numUsers, conf);
        IdMap itemIds = IdMaps.ensure(dir, IdMaps.ITEMS, numItems, conf);
        FactorTables.write(spark, dir, USER_FACTORS, users, userBase, numUsers, dim, userIds);
        FactorTables.write(spark, dir, ITEM_FACTORS, items, itemBase, numItems, dim, itemIds);
        writeTrain(spark, dir, train);
        List<ModelFile> files = new ArrayList<>(List.of(
                new ModelFile(USER_FACTORS, "parquet", "user factors: " + FactorTables.COLUMNS),
                new ModelFile(ITEM_FACTORS, "parquet", "item factors: " + FactorTables.COLUMNS),
                new ModelFile(TRAIN, "parquet", "train interactions excluded by recommend: user int, item int "
                        + "(dense indices)"),
                new ModelFile(IdMaps.USERS, "concord-idmap", "original user ids in index order"),
                new ModelFile(IdMaps.ITEMS, "concord-idmap", "original item ids in index order")));
        files.addAll(extraFiles);
        Map<String, Object> shapes = new LinkedHashMap<>();
        shapes.put("users", numUsers);
        shapes.put("items", numItems);
        shapes.put("dim", dim);
        ModelManifest manifest = ModelManifest.of(ctx, ModelManifest.FACTORS, shapes,
                Map.of("user", IdMaps.USERS, "item", IdMaps.ITEMS), files, details);
        manifest.write(dir);
        return manifest;
    }

    private static void writeTrain(SparkSession spark, RunDirectory dir, Adjacency train) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Adjacency> shipped = sc.broadcast(train);
        List<int[]> ranges = new ArrayList<>();
        int usersPerTask = 50_000;
        for (int from = 0; from < train.numRows(); from += usersPerTask) {
            ranges.add(new int[] {from, Math.min(train.numRows(), from + usersPerTask)});
        }
        JavaRDD<Row> rows = sc.parallelize(ranges, Math.max(1, ranges.size())).flatMap(r -> {
            Adjacency a = shipped.value();
            List<Row> out = new ArrayList<>();
            for (int u = r[0]; u < r[1]; u++) {
                for (int p = a.rowStart(u); p < a.rowEnd(u); p++) {
                    out.add(RowFactory.create(u, a.columnArray()[p]));
                }
            }
            return out.iterator();
        });
        try {
            spark.createDataFrame(rows, TRAIN_SCHEMA).write().mode(SaveMode.Overwrite)
                    .parquet(dir.staged("model/" + TRAIN).toString());
        } catch (RuntimeException e) {
            throw new RunDirectory.OutputException("writing model/" + TRAIN + " failed: " + e.getMessage(), e);
        } finally {
            shipped.destroy();
        }
    }

    /** Reads the factor model of a committed run. */
    public static FactorModel load(SparkSession spark, Path run, Configuration conf) {
        ModelManifest manifest = ModelManifest.read(run, conf).requireType(ModelManifest.FACTORS);
        int numUsers = manifest.shape("users");
        int numItems = manifest.shape("items");
        int dim = manifest.shape("dim");
        Path model = new Path(run, "model");
        IdMap userIds = IdMaps.read(run, manifest.idMaps().getOrDefault("user", IdMaps.USERS), conf);
        IdMap itemIds = IdMaps.read(run, manifest.idMaps().getOrDefault("item", IdMaps.ITEMS), conf);
        if (userIds.size() != numUsers || itemIds.size() != numItems) {
            throw new ConfigException("--model", "the id maps of " + run + " hold " + userIds.size() + " users and "
                    + itemIds.size() + " items; model.json says " + numUsers + " and " + numItems);
        }
        float[] items = FactorTables.readDense(spark, new Path(model, ITEM_FACTORS).toString(), itemIds, dim);
        List<Row> pairs = spark.read().schema(TRAIN_SCHEMA).parquet(new Path(model, TRAIN).toString())
                .select("user", "item").collectAsList();
        int[] us = new int[pairs.size()];
        int[] is = new int[pairs.size()];
        for (int p = 0; p < pairs.size(); p++) {
            us[p] = pairs.get(p).getInt(0);
            is[p] = pairs.get(p).getInt(1);
        }
        Adjacency train = Adjacency.fromPairs(numUsers, numItems, us, is, us.length);
        return new FactorModel(manifest, run, userIds, itemIds, numUsers, numItems, dim,
                new Path(model, USER_FACTORS).toString(), items, train);
    }

    /** The user factor table {@code (id, index, vector)}. */
    public Dataset<Row> userFactorTable(SparkSession spark) {
        return FactorTables.read(spark, userFactorsPath, userIds);
    }

    /** The user factors, dense row-major {@code numUsers × dim}. */
    public float[] userFactors(SparkSession spark) {
        return FactorTables.readDense(spark, userFactorsPath, userIds, dim);
    }
}
