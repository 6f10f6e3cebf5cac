package io.concord.inference;

import io.concord.cli.CliRunner;
import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.data.graph.SyntheticGraphSpec;
import io.concord.data.graph.SyntheticInteractionGraphs;
import io.concord.data.graph.IdMap;
import io.concord.job.JobContext;
import io.concord.model.FactorModel;
import io.concord.model.IdMaps;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * String user and item ids round trip: a factor model whose reader saved string id maps (as the table sources do)
 * recommends with the original ids, for users named in a text file, train items excluded, ties to the smaller id;
 * an unknown user id is a data error (exit 3) and leaves no output; an existing directory that is not a committed
 * output is never replaced (exit 2).
 */
class StringIdRecommendTest {

    @TempDir
    Path tmp;

    /**
     * Users alice, bob, carol (indices 0..2 in sorted order) with factors (1,0), (0,1), (1,1); items i-a..i-d with
     * (3,0), (2,5), (3,1), (0,4); bob has seen i-b. Scores: alice 3, 2, 3, 0 (a tie: i-a before i-c); bob
     * 0, -, 1, 4; carol 3, 7, 4, 4 (a tie: i-c before i-d).
     */
    private Path writeModel() {
        Configuration conf = new Configuration();
        RunDirectory dir = new RunDirectory(RecommendEvaluateTest.hadoop(tmp.resolve("runs")), "strings", conf);
        dir.prepare(false, false);
        try (SparkSession spark = RecommendEvaluateTest.session()) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            IdMap.ofStrings(List.of("carol", "alice", "bob")).write(dir.staged("model/" + IdMaps.USERS), conf);
            IdMap.ofStrings(List.of("i-d", "i-c", "i-b", "i-a")).write(dir.staged("model/" + IdMaps.ITEMS), conf);
            JobContext ctx = new JobContext("ultragcn", spark, jsc, dir, false, null, System.out);
            float[] users = {1, 0, 0, 1, 1, 1};
            float[] items = {3, 0, 2, 5, 3, 1, 0, 4};
            FactorModel.write(ctx, users, 0, items, 0, 3, 4, 2, Adjacency.fromPairs(3, 4, new int[] {1},
                    new int[] {1}, 1), List.of(), Map.of());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        dir.commit(false);
        return tmp.resolve("runs/strings");
    }

    @Test
    void recommendationsCarryTheOriginalStringIds() throws IOException {
        Path run = writeModel();
        Files.writeString(tmp.resolve("users.txt"), "carol\nbob\ncarol\n");
        CliRunner.Result r = CliRunner.run("recommend", "--model", run.toString(), "--users",
                tmp.resolve("users.txt").toString(), "--k", "2", "--output", tmp.resolve("some").toString(),
                "--master", "local[2]");
        assertThat(r.exitCode()).as(r.err()).isZero();
        r = CliRunner.run("recommend", "--model", run.toString(), "--k", "2", "--output",
                tmp.resolve("all").toString(), "--master", "local[2]");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Files.writeString(tmp.resolve("unknown.txt"), "alice\ndave\n");
        r = CliRunner.run("recommend", "--model", run.toString(), "--users", tmp.resolve("unknown.txt").toString(),
                "--output", tmp.resolve("none").toString(), "--master", "local[2]");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("concord: error: ").contains("unknown.txt").contains("1 user id(s) not in the "
                + "model, e.g. [dave]");
        assertThat(tmp.resolve("none")).doesNotExist();
        Files.createDirectories(tmp.resolve("existing"));
        Files.writeString(tmp.resolve("existing/keep.txt"), "someone's data");
        r = CliRunner.run("recommend", "--model", run.toString(), "--output", tmp.resolve("existing").toString(),
                "--master", "local[2]");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--output").contains("exists without _SUCCESS");
        assertThat(tmp.resolve("existing/keep.txt")).hasContent("someone's data");

        try (SparkSession spark = RecommendEvaluateTest.session()) {
            assertThat(rows(spark, "some")).containsExactly(
                    "bob,1,i-d,4.0", "bob,2,i-c,1.0", "carol,1,i-b,7.0", "carol,2,i-c,4.0");
            assertThat(rows(spark, "all")).containsExactly(
                    "alice,1,i-a,3.0", "alice,2,i-c,3.0", "bob,1,i-d,4.0", "bob,2,i-c,1.0", "carol,1,i-b,7.0",
                    "carol,2,i-c,4.0");
            assertThat(spark.read().parquet(run.resolve("model/user-factors.parquet").toString()).schema()
                    .apply("id").dataType().typeName()).isEqualTo("string");
        }
    }

    private List<String> rows(SparkSession spark, String name) {
        return spark.read().parquet(tmp.resolve(name).toString()).orderBy("user", "rank").collectAsList().stream()
                .map((Row x) -> x.getString(0) + "," + x.getInt(1) + "," + x.getString(2) + "," + x.getFloat(3))
                .toList();
    }

    /**
     * End to end with the table source: interactions as a Parquet table with string ids, {@code train ultragcn},
     * then {@code recommend} for users named by their string ids. The output carries the original ids, never an id
     * the user interacted with in train, and the factor tables' ids are the table's.
     */
    @Test
    void aParquetTableWithStringIdsTrainsAndRecommendsWithTheSameIds() throws IOException {
        InteractionGraph g = SyntheticInteractionGraphs.generate(
                new SyntheticGraphSpec(120, 80, 4, 10, 2.5, 0.8, 0.8, 0.2), 3);
        Set<String> allPairs = new HashSet<>();
        try (SparkSession spark = RecommendEvaluateTest.session()) {
            List<Row> rows = new ArrayList<>();
            for (Adjacency a : List.of(g.train(), g.test())) {
                for (int u = 0; u < a.numRows(); u++) {
                    for (int p = a.rowStart(u); p < a.rowEnd(u); p++) {
                        rows.add(RowFactory.create("user-" + u, "item-" + a.columnArray()[p]));
                        allPairs.add("user-" + u + "|item-" + a.columnArray()[p]);
                    }
                }
            }
            StructType schema = new StructType().add("user", DataTypes.StringType).add("item", DataTypes.StringType);
            spark.createDataFrame(rows, schema).repartition(3).write().parquet(tmp.resolve("clicks").toString());
        }
        CliRunner.Result r = CliRunner.run("train", "ultragcn", "--output", tmp.resolve("runs").toString(),
                "--run-id", "clicks", "--master", "local[2]", "--no-progress", "--set", "data.generate=null",
                "--set", "data.format=parquet", "--set", "data.path=" + tmp.resolve("clicks"),
                "--set", "ultragcn.embedding_dim=8", "--set", "ultragcn.negative_num=10",
                "--set", "ultragcn.negative_weight=10", "--set", "train.batchSize=128", "--set", "epochs=2",
                "--set", "eval.every=2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path run = tmp.resolve("runs/clicks");
        IdMap users = IdMap.read(RecommendEvaluateTest.hadoop(run.resolve("model/" + IdMaps.USERS)),
                new Configuration());
        assertThat(users.type()).isEqualTo(IdMap.KeyType.STRING);
        Files.writeString(tmp.resolve("who.txt"), "user-7\nuser-42\n");
        r = CliRunner.run("recommend", "--model", run.toString(), "--users", tmp.resolve("who.txt").toString(),
                "--k", "10", "--output", tmp.resolve("recs").toString(), "--master", "local[2]");
        assertThat(r.exitCode()).as(r.err()).isZero();

        try (SparkSession spark = RecommendEvaluateTest.session()) {
            Set<String> trainPairs = new HashSet<>();
            IdMap items = IdMap.read(RecommendEvaluateTest.hadoop(run.resolve("model/" + IdMaps.ITEMS)),
                    new Configuration());
            for (Row t : spark.read().parquet(run.resolve("model/train-interactions.parquet").toString())
                    .collectAsList()) {
                trainPairs.add(users.originalString(t.getInt(0)) + "|" + items.originalString(t.getInt(1)));
            }
            assertThat(allPairs).containsAll(trainPairs);
            List<Row> recs = spark.read().parquet(tmp.resolve("recs").toString()).collectAsList();
            assertThat(recs).hasSize(20);
            for (Row x : recs) {
                assertThat(x.getString(0)).isIn("user-7", "user-42");
                assertThat(x.getString(2)).startsWith("item-");
                assertThat(trainPairs).doesNotContain(x.getString(0) + "|" + x.getString(2));
            }
            List<Row> factors = spark.read().parquet(run.resolve("model/user-factors.parquet").toString())
                    .select("id", "index").collectAsList();
            assertThat(factors).hasSize(users.size());
            assertThat(users.size()).isGreaterThan(100);
            for (Row f : factors) {
                assertThat(f.getString(0)).isEqualTo(users.originalString(f.getInt(1)));
            }
        }
    }
}
