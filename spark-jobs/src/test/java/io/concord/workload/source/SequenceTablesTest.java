package io.concord.workload.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import io.concord.core.moe.MoeExample;
import io.concord.data.moe.MoeJsonlWriter;
import io.concord.data.moe.TokenDomains;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code moe} trained from Spark SQL sources written inside the test (Parquet with renamed columns, a partitioned
 * catalog table with the default names), rows shuffled and ordered back by the id column, gives exactly the
 * parameters and held-out metrics of training on the same sequences from JSONL; schema errors and bad rows name the
 * column, and {@code onBadRecord: skip} counts the dropped rows.
 */
class SequenceTablesTest {

    private static final int VOCAB = 48;

    @TempDir
    static File tmp;

    private static List<MoeExample> train;
    private static List<MoeExample> test;
    private static List<String> domains;
    private static File textRun;

    @BeforeAll
    static void jsonlBaseline() throws IOException {
        TokenDomains gen = new TokenDomains(new TokenDomains.Config(4, VOCAB, 8, 10, 3, 0.15, 0.5), 7L);
        train = gen.examples(0, 160);
        test = gen.examples(1L << 40, (1L << 40) + 40);
        domains = gen.domainNames();
        FileSystem fs = FileSystem.getLocal(new Configuration());
        MoeJsonlWriter.write(fs, new Path(file("train.jsonl").toURI()), train, domains);
        MoeJsonlWriter.write(fs, new Path(file("test.jsonl").toURI()), test, domains);
        CliRunner.Result text = CliRunner.run(moe("text", "data.paths=[" + file("train.jsonl") + "]",
                "data.testPaths=[" + file("test.jsonl") + "]"));
        assertThat(text.exitCode()).as(text.err()).isZero();
        textRun = file("out/text");
    }

    @Test
    void parquetWithRenamedColumnsTrainsExactlyLikeTheJsonl() throws IOException {
        try (SparkSession spark = session()) {
            StructType schema = new StructType().add("n", DataTypes.LongType)
                    .add("seq", DataTypes.createArrayType(DataTypes.IntegerType)).add("topic", DataTypes.StringType);
            for (String part : new String[] {"train", "test"}) {
                spark.createDataFrame(rows(part.equals("train") ? train : test, false), schema).repartition(3)
                        .write().parquet(file("pq-" + part).toString());
            }
        }
        CliRunner.Result run = CliRunner.run(moe("parquet", "data.format=parquet",
                "data.paths=[" + file("pq-train") + "]", "data.testPaths=[" + file("pq-test") + "]",
                "data.columns.tokens=seq", "data.columns.domain=topic", "data.columns.id=n"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertSameTraining(file("out/parquet"));
    }

    @Test
    void aPartitionedCatalogTableWithTheDefaultColumnsTrainsExactlyLikeTheJsonl() throws IOException {
        SparkSession spark = session();
        spark.sql("CREATE DATABASE IF NOT EXISTS lm");
        StructType schema = new StructType().add("id", DataTypes.LongType)
                .add("tokens", DataTypes.createArrayType(DataTypes.LongType)).add("domain", DataTypes.StringType)
                .add("ds", DataTypes.StringType);
        for (String part : new String[] {"train", "test"}) {
            List<Row> rows = rows(part.equals("train") ? train : test, true);
            // another day's rows, which data.where leaves out
            rows.add(RowFactory.create(-1L, List.of(1L, 2L, 3L), "domain-0", "2026-11-30"));
            spark.createDataFrame(rows, schema).repartition(2).write().partitionBy("ds")
                    .saveAsTable("lm.sequences_" + part);
        }
        // the job's SparkSession.getOrCreate finds this session's catalog (and stops the session at the end)
        CliRunner.Result run = CliRunner.run(moe("table", "data.table=lm.sequences_train",
                "data.testTable=lm.sequences_test", "data.where=ds = '2026-12-01'", "data.columns.id=id"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertSameTraining(file("out/table"));
    }

    @Test
    void evaluateOnTheHeldOutJsonlReproducesTheRunsMetrics() throws IOException {
        CliRunner.Result evaluate = CliRunner.run("evaluate", "--model", textRun.toString(), "--data",
                file("test.jsonl").toString(), "--output", file("eval").toString(), "--master", "local[2]");
        assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
        JsonNode evaluated = new ObjectMapper().readTree(file("eval/metrics.json")).path("metrics");
        JsonNode reported = summary(textRun).path("metrics");
        assertThat(evaluated.size()).isGreaterThan(3);
        evaluated.fieldNames().forEachRemaining(k -> assertThat(evaluated.path(k).asDouble()).as(k)
                .isEqualTo(reported.path(k).asDouble()));
        assertThat(evaluated.path("accuracy").isNumber()).isTrue();
    }

    @Test
    void schemaErrorsAndBadRowsNameTheColumnAndCommitNothing() throws IOException {
        try (SparkSession spark = session()) {
            spark.createDataFrame(List.of(RowFactory.create(List.of("a", "b"), "x")), new StructType()
                    .add("tokens", DataTypes.createArrayType(DataTypes.StringType)).add("domain",
                            DataTypes.StringType)).write().parquet(file("pq-strings").toString());
            List<Row> rows = rows(train, false);
            rows.add(RowFactory.create(999L, List.of(1, VOCAB + 5), "domain-1"));
            spark.createDataFrame(rows, new StructType().add("id", DataTypes.LongType)
                    .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType)).add("domain",
                            DataTypes.StringType)).write().parquet(file("pq-big-id").toString());
        }
        expectError("strings", "column 'tokens' (data.columns.tokens) has type array<string>, expected an array "
                + "of integers", "data.format=parquet", "data.paths=[" + file("pq-strings") + "]");
        expectError("missing", "no column 'text' (data.columns.text)", "data.format=parquet",
                "data.paths=[" + file("pq-strings") + "]", "data.columns.text=text");
        expectError("big-id", "column 'tokens'[1] must be a token id in [0, " + VOCAB + "), got " + (VOCAB + 5),
                "data.format=parquet", "data.paths=[" + file("pq-big-id") + "]");

        CliRunner.Result skip = CliRunner.run(moe("skip", "data.format=parquet",
                "data.paths=[" + file("pq-big-id") + "]", "data.onBadRecord=skip", "data.columns.id=id"));
        assertThat(skip.exitCode()).as(skip.err()).isZero();
        JsonNode bad = new ObjectMapper().readTree(file("out/skip/summary.json")).path("details")
                .path("badRecords");
        assertThat(bad.path("skipped").asLong()).isEqualTo(1);
        assertThat(bad.path("first").get(0).asText()).contains("column 'tokens'[1]");
    }

    /** Rows {@code (id, tokens, domain[, ds])} in shuffled order. */
    private static List<Row> rows(List<MoeExample> examples, boolean longTokens) {
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < examples.size(); k++) {
            MoeExample x = examples.get(k);
            List<Object> tokens = new ArrayList<>();
            for (int t : x.tokens()) {
                tokens.add(longTokens ? (Object) (long) t : (Object) t);
            }
            String domain = domains.get(x.domain());
            rows.add(longTokens ? RowFactory.create((long) k, tokens, domain, "2026-12-01")
                    : RowFactory.create((long) k, tokens, domain));
        }
        Collections.shuffle(rows, new Random(3));
        return rows;
    }

    private static void assertSameTraining(File run) throws IOException {
        assertThat(Files.readAllBytes(new File(run, "model/params.bin").toPath()))
                .isEqualTo(Files.readAllBytes(new File(textRun, "model/params.bin").toPath()));
        JsonNode expected = summary(textRun);
        JsonNode actual = summary(run);
        assertThat(actual.path("details").path("domains")).isEqualTo(expected.path("details").path("domains"));
        assertThat(actual.path("details").path("heldOutTokens").asLong())
                .isEqualTo(expected.path("details").path("heldOutTokens").asLong()).isEqualTo(40 * 9);
        assertThat(actual.path("metrics").path("taskLoss").asDouble())
                .isEqualTo(expected.path("metrics").path("taskLoss").asDouble());
        assertThat(actual.path("metrics").path("accuracy").asDouble())
                .isEqualTo(expected.path("metrics").path("accuracy").asDouble());
    }

    private static void expectError(String runId, String message, String... data) {
        CliRunner.Result r = CliRunner.run(moe(runId, data));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("concord: error: ").contains(message);
        assertThat(file("out/" + runId)).doesNotExist();
    }

    private static JsonNode summary(File run) throws IOException {
        return new ObjectMapper().readTree(new File(run, "summary.json"));
    }

    private static File file(String relative) {
        return new File(tmp, relative);
    }

    private static String[] moe(String runId, String... data) {
        List<String> a = new ArrayList<>(List.of("train", "moe", "--output", file("out").toString(),
                "--run-id", runId, "--master", "local[2]", "--no-progress", "--set", "data.generate=null",
                "--set", "data.vocabSize=" + VOCAB, "--set", "model.modelDim=8", "--set", "model.experts=4",
                "--set", "model.topK=2", "--set", "model.expertHidden=8", "--set", "model.layers=1",
                "--set", "train.rounds=4", "--set", "train.partitions=2", "--set", "train.batchSize=4",
                "--set", "eval.every=2"));
        for (String d : data) {
            a.add("--set");
            a.add(d);
        }
        return a.toArray(String[]::new);
    }

    private static SparkSession session() {
        return TableTestRuns.session("sequence-tables-test", file("warehouse"));
    }
}
