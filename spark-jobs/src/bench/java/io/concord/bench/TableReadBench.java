package io.concord.bench;

import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.data.graph.AdjacencyListFormat;
import io.concord.job.ConcordSpark;
import io.concord.workload.source.InteractionColumns;
import io.concord.workload.source.InteractionReadPaths;
import io.concord.workload.source.SqlFormat;
import io.concord.workload.source.TableSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reading the Gowalla interactions into the graph the recommendation jobs train on: today's text path (the LightGCN
 * split files, parsed on the driver) against a Parquet copy written once by this bench (the two sources
 * {@code data.train} / {@code data.test} and one source with a split column), each read both ways
 * {@code InteractionTables.read} can: the direct driver-side reader it takes for such files
 * ({@code ParquetInteractionFiles}) and, forced, the Spark SQL path; timed side by side in one JVM, every read
 * checked to give the same graph.
 * Prints one table. Arguments: {@code [dataset dir=../shared/datasets/gowalla] [master=local[2]] [repeats=5]
 * [parquet dir=target/bench-gowalla-parquet]}.
 */
public final class TableReadBench {

    private TableReadBench() {
    }

    public static void main(String[] args) throws IOException {
        String dir = args.length > 0 ? args[0] : "../shared/datasets/gowalla";
        String master = args.length > 1 ? args[1] : "local[2]";
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String out = new File(args.length > 3 ? args[3] : "target/bench-gowalla-parquet").getAbsolutePath();
        Configuration conf = new Configuration();
        Path train = new Path(new File(dir, "train.txt").getAbsolutePath());
        Path test = new Path(new File(dir, "test.txt").getAbsolutePath());

        try (SparkSession spark = ConcordSpark.session(ConcordSpark.conf(master, "table-read-bench",
                Map.of("spark.ui.enabled", "false")))) {
            InteractionGraph reference = AdjacencyListFormat.readSplit(train, test, conf);
            if (new File(out, "all/_SUCCESS").exists()) {
                System.out.printf("reusing the Parquet copy in %s (delete it to write it again)%n", out);
            } else {
                long w0 = System.nanoTime();
                writeParquet(spark, reference, out);
                System.out.printf("wrote %s as Parquet to %s in %.2f s%n", reference, out,
                        (System.nanoTime() - w0) / 1e9);
            }

            InteractionColumns plain = InteractionColumns.defaults();
            InteractionColumns split = new InteractionColumns(null, null, null, null, "split");
            TableSource pqTrain = new TableSource(SqlFormat.PARQUET, out + "/train", null, null, "data.train");
            TableSource pqTest = new TableSource(SqlFormat.PARQUET, out + "/test", null, null, "data.test");
            TableSource pqAll = new TableSource(SqlFormat.PARQUET, out + "/all", null, null, "data.path");
            String[] names = {"text (LightGCN split files, driver)", "parquet direct, data.train + data.test",
                    "parquet direct, data.path + split", "parquet Spark SQL, data.train + data.test",
                    "parquet Spark SQL, data.path + split"};
            double[][] seconds = new double[names.length][repeats + 1];
            for (int r = 0; r <= repeats; r++) { // round 0 warms up the JIT and Spark, not reported
                for (int k = 0; k < names.length; k++) {
                    long t0 = System.nanoTime();
                    InteractionGraph g = switch (k) {
                        case 0 -> AdjacencyListFormat.readSplit(train, test, conf);
                        case 1 -> InteractionReadPaths.direct(spark, pqTrain, pqTest, plain).graph();
                        case 2 -> InteractionReadPaths.direct(spark, pqAll, null, split).graph();
                        case 3 -> InteractionReadPaths.viaSpark(spark, pqTrain, pqTest, plain).graph();
                        default -> InteractionReadPaths.viaSpark(spark, pqAll, null, split).graph();
                    };
                    seconds[k][r] = (System.nanoTime() - t0) / 1e9;
                    if (!g.train().equals(reference.train()) || !g.test().equals(reference.test())) {
                        throw new IllegalStateException(names[k] + " read a different graph: " + g);
                    }
                }
            }
            System.out.printf("%nGowalla %s, %s, best and median of %d reads after one warm-up%n", reference, master,
                    repeats);
            System.out.printf("| %-41s | %8s | %8s |%n", "path", "best s", "median s");
            System.out.printf("|%s|%s|%s|%n", "-".repeat(43), "-".repeat(10), "-".repeat(10));
            for (int k = 0; k < names.length; k++) {
                double[] s = Arrays.copyOfRange(seconds[k], 1, repeats + 1);
                Arrays.sort(s);
                System.out.printf("| %-41s | %8.3f | %8.3f |%n", names[k], s[0], s[s.length / 2]);
            }
        }
    }

    private static void writeParquet(SparkSession spark, InteractionGraph g, String out) {
        StructType pair = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType);
        StructType withSplit = pair.add("split", DataTypes.StringType);
        List<Row> all = new ArrayList<>();
        for (String part : new String[] {"train", "test"}) {
            List<Row> rows = rows(part.equals("train") ? g.train() : g.test(), null);
            spark.createDataFrame(rows, pair).repartition(4).write().mode(SaveMode.Overwrite).parquet(out + "/" + part);
            all.addAll(rows(part.equals("train") ? g.train() : g.test(), part));
        }
        spark.createDataFrame(all, withSplit).repartition(4).write().mode(SaveMode.Overwrite).parquet(out + "/all");
    }

    private static List<Row> rows(Adjacency m, String split) {
        List<Row> rows = new ArrayList<>(m.nnz());
        int[] cols = m.columnArray();
        for (int u = 0; u < m.numRows(); u++) {
            for (int p = m.rowStart(u); p < m.rowEnd(u); p++) {
                rows.add(split == null ? RowFactory.create(u, cols[p]) : RowFactory.create(u, cols[p], split));
            }
        }
        return rows;
    }
}
