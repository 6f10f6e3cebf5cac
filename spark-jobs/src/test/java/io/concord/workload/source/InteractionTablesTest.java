package io.concord.workload.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.data.graph.AdjacencyListFormat;
import io.concord.data.graph.IdMap;
import io.concord.data.graph.SyntheticGraphSpec;
import io.concord.data.graph.SyntheticInteractionGraphs;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ultragcn} and {@code als} trained from Spark SQL sources written by Spark inside the test (Parquet files, a
 * date-partitioned table of the in-memory catalog, string ids) give exactly the parameters and metrics of training on
 * the same records from the text formats; schema errors name the column, its type and the expected type (exit 3) and
 * commit nothing.
 */
class InteractionTablesTest {

    private static final int EXIT_CONFIG = 2;
    private static final int EXIT_BAD_INPUT = 3;

    @TempDir
    static File tmp;

    /** Every user and item id in 0..n-1 occurs, so the sorted id maps are the identity and the text ids agree. */
    private static InteractionGraph graph;
    private static File textRun;

    @BeforeAll
    static void textBaseline() throws IOException {
        graph = compact(SyntheticInteractionGraphs.generate(
                new SyntheticGraphSpec(300, 200, 8, 12, 2.5, 0.8, 0.8, 0.2), 7));
        Configuration conf = new Configuration();
        AdjacencyListFormat.write(graph.train(), new Path(file("train.txt").toURI()),
                conf, true);
        AdjacencyListFormat.write(graph.test(), new Path(file("test.txt").toURI()),
                conf, true);
        CliRunner.Result text = CliRunner.run(ultragcn("text", "data.train=" + file("train.txt"),
                "data.test=" + file("test.txt")));
        assertThat(text.exitCode()).as(text.err()).isZero();
        textRun = file("out/text");
    }

    @Test
    void parquetTrainAndTestTablesTrainExactlyLikeTheSplitFiles() throws IOException {
        try (SparkSession spark = session()) {
            write(spark, rows(graph.train(), null, u -> (long) u, i -> (long) i), DataTypes.LongType,
                    file("pq-train"));
            write(spark, rows(graph.test(), null, u -> (long) u, i -> (long) i), DataTypes.LongType,
                    file("pq-test"));
        }
        CliRunner.Result run = CliRunner.run(ultragcn("parquet", "data.format=parquet",
                "data.train=" + file("pq-train"), "data.test=" + file("pq-test")));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertSameTraining(file("out/parquet"));
        IdMap users = IdMap.read(idMap("parquet", "user"), new Configuration());
        assertThat(users.type()).isEqualTo(IdMap.KeyType.LONG);
        assertThat(users.size()).isEqualTo(graph.numUsers());
        assertThat(users.originalLong(graph.numUsers() - 1)).isEqualTo(graph.numUsers() - 1);
        assertThat(IdMap.read(idMap("parquet", "item"), new Configuration()).size()).isEqualTo(graph.numItems());
    }

    @Test
    void aDatePartitionOfACatalogTableWithASplitColumnTrainsLikeTheSplitFiles() throws IOException {
        SparkSession spark = session();
        spark.sql("CREATE DATABASE IF NOT EXISTS recsys");
        List<Row> rows = new ArrayList<>(rows(graph.train(), "train", u -> u, i -> i));
        rows.addAll(rows(graph.test(), "test", u -> u, i -> i));
        List<Row> partitioned = new ArrayList<>();
        rows.forEach(r -> partitioned.add(RowFactory.create(r.get(0), r.get(1), r.get(2), "2026-12-01")));
        // another day: ids the filtered graph does not have, so reading it would change the id maps
        partitioned.add(RowFactory.create(100_000, 7, "train", "2026-11-30"));
        partitioned.add(RowFactory.create(3, 100_000, "test", "2026-11-30"));
        StructType schema = new StructType().add("user_id", DataTypes.IntegerType).add("item_id", DataTypes.IntegerType)
                .add("split", DataTypes.StringType).add("ds", DataTypes.StringType);
        spark.createDataFrame(partitioned, schema).repartition(3).write().partitionBy("ds").mode(SaveMode.Overwrite)
                .saveAsTable("recsys.interactions");
        // the job's SparkSession.getOrCreate finds this session and its in-memory catalog (and stops it at the end)
        CliRunner.Result run = CliRunner.run(ultragcn("table", "data.table=recsys.interactions",
                "data.where=ds = '2026-12-01'", "data.columns.user=user_id", "data.columns.item=item_id",
                "data.columns.split=split"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("from table recsys.interactions where ds = '2026-12-01' (split by column split)");
        assertSameTraining(file("out/table"));
        assertThat(IdMap.read(idMap("table", "user"), new Configuration()).indexOf(100_000L)).isEqualTo(-1);
    }

    @Test
    void stringIdsTrainLikeTheirIntegersAndTheSavedMapsGiveBackTheOriginals() throws IOException {
        // zero-padded names sort like the integers, so the dense indices (and the training) are the same
        IntFunction<Object> user = u -> String.format("user-%05d", u);
        IntFunction<Object> item = i -> String.format("item:%05d\t", i);
        try (SparkSession spark = session()) {
            List<Row> rows = new ArrayList<>(rows(graph.train(), "train", user, item));
            rows.addAll(rows(graph.test(), "test", user, item));
            StructType schema = new StructType().add("user", DataTypes.StringType).add("item", DataTypes.StringType)
                    .add("split", DataTypes.StringType);
            spark.createDataFrame(rows, schema).repartition(4).write().parquet(file("pq-strings").toString());
        }
        CliRunner.Result run = CliRunner.run(ultragcn("strings", "data.format=parquet",
                "data.path=" + file("pq-strings"), "data.columns.split=split"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertSameTraining(file("out/strings"));
        IdMap users = IdMap.read(idMap("strings", "user"), new Configuration());
        IdMap items = IdMap.read(idMap("strings", "item"), new Configuration());
        assertThat(users.type()).isEqualTo(IdMap.KeyType.STRING);
        assertThat(users.size()).isEqualTo(graph.numUsers());
        assertThat(items.size()).isEqualTo(graph.numItems());
        for (int u = 0; u < graph.numUsers(); u++) {
            assertThat(users.originalString(u)).isEqualTo(user.apply(u));
        }
        for (int i = 0; i < graph.numItems(); i++) {
            assertThat(items.originalString(i)).isEqualTo(item.apply(i));
            assertThat(items.indexOf((String) item.apply(i))).isEqualTo(i);
        }
    }

    @Test
    void alsFromOneParquetSourceOrCatalogTableEqualsTheEdgeListWithTheSamePerUserSplit() throws IOException {
        StringBuilder edges = new StringBuilder("user,item\n");
        List<Row> rows = new ArrayList<>(rows(graph.train(), null, u -> u, i -> i));
        rows.addAll(rows(graph.test(), null, u -> u, i -> i));
        rows.forEach(r -> edges.append(r.get(0)).append(',').append(r.get(1)).append('\n'));
        Files.writeString(file("edges.csv").toPath(), edges);
        try (SparkSession spark = session()) {
            write(spark, rows, DataTypes.IntegerType, file("pq-all"));
        }
        CliRunner.Result text = CliRunner.run(als("als-text", "data.edges=" + file("edges.csv")));
        assertThat(text.exitCode()).as(text.err()).isZero();
        CliRunner.Result pq = CliRunner.run(als("als-parquet", "data.format=parquet",
                "data.path=" + file("pq-all")));
        assertThat(pq.exitCode()).as(pq.err()).isZero();
        File a = file("out/als-text");
        File b = file("out/als-parquet");
        assertThat(metrics(b).path("recall@20").asDouble()).isEqualTo(metrics(a).path("recall@20").asDouble())
                .isGreaterThan(0.1);
        assertThat(metrics(b).path("ndcg@20").asDouble()).isEqualTo(metrics(a).path("ndcg@20").asDouble());
        assertThat(Files.readAllBytes(new File(b, "model/user-factors.bin").toPath()))
                .isEqualTo(Files.readAllBytes(new File(a, "model/user-factors.bin").toPath()));
        assertThat(Files.readAllBytes(new File(b, "model/item-factors.bin").toPath()))
                .isEqualTo(Files.readAllBytes(new File(a, "model/item-factors.bin").toPath()));
        assertThat(new File(b, "model/user-ids.idmap")).exists();

        SparkSession spark = session();
        spark.sql("CREATE DATABASE IF NOT EXISTS recsys");
        spark.createDataFrame(rows, new StructType().add("user", DataTypes.IntegerType)
                .add("item", DataTypes.IntegerType)).repartition(2).write().mode(SaveMode.Overwrite)
                .saveAsTable("recsys.als_edges");
        // the job's SparkSession.getOrCreate finds this session and its in-memory catalog (and stops it at the end)
        CliRunner.Result table = CliRunner.run(als("als-table", "data.table=recsys.als_edges"));
        assertThat(table.exitCode()).as(table.err()).isZero();
        File c = file("out/als-table");
        assertThat(metrics(c).path("ndcg@20").asDouble()).isEqualTo(metrics(a).path("ndcg@20").asDouble());
        assertThat(Files.readAllBytes(new File(c, "model/user-factors.bin").toPath()))
                .isEqualTo(Files.readAllBytes(new File(a, "model/user-factors.bin").toPath()));
        assertThat(Files.readAllBytes(new File(c, "model/item-factors.bin").toPath()))
                .isEqualTo(Files.readAllBytes(new File(a, "model/item-factors.bin").toPath()));
    }

    @Test
    void schemaAndSourceErrorsNameTheColumnAndCommitNothing() throws IOException {
        try (SparkSession spark = session()) {
            List<Row> rows = List.of(RowFactory.create(1.5, 2L, "train"), RowFactory.create(2.0, 3L, "tset"));
            spark.createDataFrame(rows, new StructType().add("user", DataTypes.DoubleType)
                    .add("item", DataTypes.LongType).add("split", DataTypes.StringType))
                    .write().parquet(file("pq-double").toString());
            List<Row> ok = List.of(RowFactory.create(1L, 2L, "train"), RowFactory.create(2L, 3L, "tset"));
            spark.createDataFrame(ok, new StructType().add("user", DataTypes.LongType)
                    .add("item", DataTypes.LongType).add("split", DataTypes.StringType))
                    .write().parquet(file("pq-badsplit").toString());
        }
        String pqDouble = "data.path=" + file("pq-double");
        expectError("double", EXIT_BAD_INPUT, "column 'user' (data.columns.user) has type double, expected an "
                + "integer or string type", "data.format=parquet", pqDouble);
        expectError("missing-column", EXIT_BAD_INPUT, "no column 'uid' (data.columns.user); columns: user double, "
                + "item bigint, split string", "data.format=parquet", pqDouble, "data.columns.user=uid");
        expectError("split-type", EXIT_BAD_INPUT, "column 'item' (data.columns.split) has type bigint, expected "
                + "string ('train' / 'test') or boolean", "data.format=parquet", pqDouble, "data.columns.user=item",
                "data.columns.split=item");
        expectError("bad-split", EXIT_BAD_INPUT, "column 'split' (data.columns.split) has the value 'tset', "
                + "expected 'train' or 'test'", "data.format=parquet", "data.path=" + file("pq-badsplit"),
                "data.columns.split=split");
        expectError("no-path", EXIT_BAD_INPUT, "nope: parquet path not found (data.path)", "data.format=parquet",
                "data.path=" + file("nope"));
        expectError("bad-where", EXIT_CONFIG, "data.where", "data.format=parquet", pqDouble,
                "data.where=nosuch = 1");
        expectError("no-table", EXIT_BAD_INPUT, "no_db.no_table: table not found (data.table)",
                "data.table=no_db.no_table");
        expectError("both", EXIT_CONFIG, "data.path", "data.format=orc");
        expectError("where-on-text", EXIT_CONFIG, "data.where: applies to the Spark SQL sources only",
                "data.train=" + file("train.txt"), "data.test=" + file("test.txt"), "data.where=x");
    }

    private void expectError(String runId, int exit, String message, String... data) {
        CliRunner.Result r = CliRunner.run(ultragcn(runId, data));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(exit);
        assertThat(r.err()).as(runId).contains("concord: error: ").contains(message);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(file("out/" + runId)).doesNotExist();
    }

    private static void assertSameTraining(File run) throws IOException {
        assertThat(Files.readAllBytes(new File(run, "model/params.bin").toPath()))
                .isEqualTo(Files.readAllBytes(new File(textRun, "model/params.bin").toPath()));
        JsonNode expected = metrics(textRun);
        JsonNode actual = metrics(run);
        for (String m : new String[] {"recall@20", "ndcg@20", "precision@20", "final.recall@20"}) {
            assertThat(actual.path(m).asDouble()).as(m).isEqualTo(expected.path(m).asDouble());
        }
        assertThat(expected.path("recall@20").asDouble()).isGreaterThan(0.2);
    }

    private static JsonNode metrics(File run) throws IOException {
        return new ObjectMapper().readTree(new File(run, "summary.json")).path("metrics");
    }

    private static Path idMap(String runId, String kind) {
        return new Path(file("out/" + runId + "/model/" + kind + "-ids.idmap").toURI());
    }

    private static File file(String relative) {
        return new File(tmp, relative);
    }

    private static String[] ultragcn(String runId, String... data) {
        List<String> a = new ArrayList<>(List.of("train", "ultragcn", "--output", file("out").toString(),
                "--run-id", runId, "--master", "local[2]", "--no-progress", "--set", "data.generate=null",
                "--set", "ultragcn.embedding_dim=16", "--set", "ultragcn.negative_num=20",
                "--set", "ultragcn.negative_weight=20", "--set", "train.batchSize=128", "--set", "epochs=4",
                "--set", "eval.every=2"));
        for (String d : data) {
            a.add("--set");
            a.add(d);
        }
        return a.toArray(String[]::new);
    }

    private static String[] als(String runId, String... data) {
        List<String> a = new ArrayList<>(List.of("train", "als", "--output", file("out").toString(),
                "--run-id", runId, "--master", "local[2]", "--no-progress", "--set", "seed=7",
                "--set", "data.generate=null", "--set", "als.rank=8", "--set", "als.regParam=0.1",
                "--set", "als.alpha=5.0", "--set", "als.maxIter=5"));
        for (String d : data) {
            a.add("--set");
            a.add(d);
        }
        return a.toArray(String[]::new);
    }

    /** {@code (user, item[, split])} rows of a matrix, ids through the given functions. */
    private static List<Row> rows(Adjacency m, String split, IntFunction<Object> user, IntFunction<Object> item) {
        List<Row> rows = new ArrayList<>();
        int[] cols = m.columnArray();
        for (int u = 0; u < m.numRows(); u++) {
            for (int p = m.rowStart(u); p < m.rowEnd(u); p++) {
                rows.add(split == null ? RowFactory.create(user.apply(u), item.apply(cols[p]))
                        : RowFactory.create(user.apply(u), item.apply(cols[p]), split));
            }
        }
        return rows;
    }

    private static void write(SparkSession spark, List<Row> rows, DataType idType, File dir) {
        StructType schema = new StructType().add("user", idType).add("item", idType);
        spark.createDataFrame(rows, schema).repartition(3).write().parquet(dir.toString());
    }

    /** The graph restricted to renumbered ids that occur (train or test), in their original order. */
    static InteractionGraph compact(InteractionGraph g) {
        int[] userIndex = new int[g.numUsers()];
        int[] itemIndex = new int[g.numItems()];
        Arrays.fill(userIndex, -1);
        Arrays.fill(itemIndex, -1);
        for (Adjacency m : List.of(g.train(), g.test())) {
            int[] cols = m.columnArray();
            for (int u = 0; u < m.numRows(); u++) {
                for (int p = m.rowStart(u); p < m.rowEnd(u); p++) {
                    userIndex[u] = 0;
                    itemIndex[cols[p]] = 0;
                }
            }
        }
        int nu = renumber(userIndex);
        int ni = renumber(itemIndex);
        Adjacency[] out = new Adjacency[2];
        for (int k = 0; k < 2; k++) {
            Adjacency m = k == 0 ? g.train() : g.test();
            int[] rows = new int[m.nnz()];
            int[] cols = new int[m.nnz()];
            int n = 0;
            for (int u = 0; u < m.numRows(); u++) {
                for (int p = m.rowStart(u); p < m.rowEnd(u); p++) {
                    rows[n] = userIndex[u];
                    cols[n++] = itemIndex[m.columnArray()[p]];
                }
            }
            out[k] = Adjacency.fromPairs(nu, ni, rows, cols, n);
        }
        return new InteractionGraph(out[0], out[1]);
    }

    private static int renumber(int[] index) {
        int n = 0;
        for (int k = 0; k < index.length; k++) {
            index[k] = index[k] < 0 ? -1 : n++;
        }
        return n;
    }

    private static SparkSession session() {
        return TableTestRuns.session("tables-test", file("warehouse"));
    }
}
