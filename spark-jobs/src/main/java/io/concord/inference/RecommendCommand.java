package io.concord.inference;

import io.concord.config.ConfigException;
import io.concord.data.DataException;
import io.concord.data.graph.IdMap;
import io.concord.model.FactorModel;
import io.concord.model.FactorTables;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import static org.apache.spark.sql.functions.col;

/**
 * {@code concord recommend}: top-k items per user of a committed recommender run, as a Parquet table
 * {@code (user, rank, item, score)} with the original ids, committed like a run directory.
 */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Top-k items per user of a trained ultragcn/als model, written as a Parquet table "
                + "(user, rank, item, score) with the original ids; train items excluded unless --include-seen.")
public final class RecommendCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "committed run directory of ultragcn or als")
    String model;
    @Option(names = "--users", defaultValue = "all", description = "all (default); a Parquet table directory or "
            + "file (column --user-column); table:<catalog table>; or a text file with one user id per line")
    String users;
    @Option(names = "--user-column", defaultValue = "user", description = "user id column of a --users table "
            + "(default: user)")
    String userColumn;
    @Option(names = "--k", defaultValue = "20", description = "items per user (default: 20)")
    int k;
    @Option(names = "--output", required = true, description = "the output table directory (any Hadoop URI); "
            + "its name must be a valid run id")
    String output;
    @Option(names = "--include-seen", description = "keep each user's train items in the ranking")
    boolean includeSeen;
    @Option(names = "--block-users", defaultValue = "1024", description = "users scored together in one task "
            + "(default: 1024)")
    int blockUsers;
    @Option(names = "--partitions", defaultValue = "0", description = "tasks over the users (default: Spark's "
            + "default parallelism)")
    int partitions;
    @Option(names = "--master", description = "Spark master for embedded runs (default local[*]); ignored under "
            + "spark-submit unless given")
    String master;
    @Option(names = "--overwrite", description = "replace an already committed output")
    boolean overwrite;

    @Override
    public Integer call() {
        if (k < 1) {
            throw new ConfigException("--k", k, "an integer >= 1");
        }
        if (blockUsers < 1) {
            throw new ConfigException("--block-users", blockUsers, "an integer >= 1");
        }
        Configuration conf = new Configuration();
        RunDirectory out = InferenceRun.outputDirectory(output, conf);
        if (InferenceRun.alreadyCommitted(out, overwrite, System.out)) {
            return 0;
        }
        InferenceRun.begin(out, overwrite);
        SparkSession spark = InferenceRun.spark("recommend", master);
        try {
            FactorModel m = FactorModel.load(spark, new Path(model), spark.sparkContext().hadoopConfiguration());
            Dataset<Row> rows = userRows(spark, m);
            int tasks = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
            rows = rows.repartition(tasks);
            Dataset<Row> recs = Recommender.recommend(spark, m, rows, k, includeSeen, blockUsers);
            try {
                recs.write().mode(SaveMode.Overwrite).parquet(out.stagingPath().toString());
            } catch (RuntimeException e) {
                Throwable c = e;
                while (c.getCause() != null && !(c instanceof DataException)) {
                    c = c.getCause();
                }
                throw c instanceof DataException d ? d
                        : new RunDirectory.OutputException("writing " + output + " failed: " + e.getMessage(), e);
            }
            InferenceRun.commit(out, overwrite);
            long count = spark.read().parquet(out.committedPath().toString()).count();
            System.out.println("committed " + out.committedPath() + " (" + count + " recommendations, top " + k
                    + (includeSeen ? ", train items included" : ", train items excluded") + ")");
            return 0;
        } finally {
            spark.stop();
            InferenceRun.release(out);
        }
    }

    /** {@code (index, vector)} of the requested users; every requested id must be in the model. */
    private Dataset<Row> userRows(SparkSession spark, FactorModel m) {
        Dataset<Row> factors = m.userFactorTable(spark);
        if (users.equals("all")) {
            return factors.select(FactorTables.INDEX, FactorTables.VECTOR);
        }
        Dataset<Row> requested = requestedIds(spark).withColumnRenamed(userColumn, "requested");
        Column id = col("requested").cast(FactorTables.idType(m.userIds()));
        Dataset<Row> typed = requested.select(col("requested"), id.as("rid"));
        List<Row> bad = typed.filter(col("rid").isNull().and(col("requested").isNotNull())).limit(1)
                .collectAsList();
        if (!bad.isEmpty()) {
            throw new DataException(users, "user id '" + bad.get(0).get(0) + "' in column " + userColumn
                    + " is not a " + (m.userIds().type() == IdMap.KeyType.LONG ? "integer" : "string")
                    + " id like the model's");
        }
        Dataset<Row> ids = typed.select("rid").na().drop().distinct();
        Dataset<Row> found = ids.join(factors, ids.col("rid").equalTo(factors.col(FactorTables.ID)), "left");
        List<Row> unknown = found.filter(col(FactorTables.INDEX).isNull()).select("rid").limit(3).collectAsList();
        if (!unknown.isEmpty()) {
            long n = found.filter(col(FactorTables.INDEX).isNull()).count();
            throw new DataException(users, n + " user id(s) not in the model, e.g. "
                    + Arrays.toString(unknown.stream().map(r -> r.get(0)).toArray()));
        }
        return found.select(FactorTables.INDEX, FactorTables.VECTOR);
    }

    private Dataset<Row> requestedIds(SparkSession spark) {
        try {
            Dataset<Row> table;
            if (users.startsWith("table:")) {
                table = spark.table(users.substring("table:".length()));
            } else if (isParquet(spark, users)) {
                table = spark.read().parquet(users);
            } else {
                return spark.read().text(users).withColumnRenamed("value", userColumn)
                        .filter(col(userColumn).notEqual(""));
            }
            if (!Arrays.asList(table.columns()).contains(userColumn)) {
                throw new DataException(users, "no column '" + userColumn + "' (columns: "
                        + String.join(", ", table.columns()) + "); set --user-column");
            }
            return table.select(userColumn);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // Spark's AnalysisException (a missing table or path) is checked for javac but not declared
            throw new DataException(users, "cannot be read: " + (e instanceof AnalysisException a ? a.getSimpleMessage()
                    : e.getMessage()), e);
        }
    }

    /** A directory (Spark's table layout) or a {@code .parquet} file. */
    private static boolean isParquet(SparkSession spark, String path) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) {
                throw new DataException(path, "not found");
            }
            return fs.getFileStatus(p).isDirectory() || path.endsWith(".parquet");
        } catch (IOException e) {
            throw new DataException(path, "cannot be read: " + e.getMessage(), e);
        }
    }
}
