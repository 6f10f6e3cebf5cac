package io.concord.workload.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import io.concord.core.model.LabeledVector;
import io.concord.data.synthetic.GaussianClasses;
import io.concord.data.vector.LabeledVectorCsv;
import org.apache.hadoop.conf.Configuration;
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
 * {@code logreg} trained from Spark SQL sources written inside the test (Parquet with an array column, a catalog
 * table with one column per feature), rows shuffled and ordered back by the id column, gives exactly the parameters
 * and metrics of training on the same examples from CSV; schema errors name column, type and expected type.
 */
class VectorTablesTest {

    private static final int DIM = 4;

    @TempDir
    static File tmp;

    private static List<LabeledVector> train;
    private static List<LabeledVector> test;
    private static File textRun;

    @BeforeAll
    static void csvBaseline() {
        GaussianClasses gen = new GaussianClasses(DIM, 3, 3.0, 0.0);
        Configuration conf = new Configuration();
        Path trainCsv = new Path(new File(tmp, "train.csv").toURI());
        Path testCsv = new Path(new File(tmp, "test.csv").toURI());
        LabeledVectorCsv.write(trainCsv, gen.generate(3, 0, 600), conf);
        LabeledVectorCsv.write(testCsv, gen.generateClean(3, 1L << 40, 200), conf);
        // the examples as the CSV reader sees them, ids (file ordinal, line) included
        train = LabeledVectorCsv.read(trainCsv, conf);
        test = LabeledVectorCsv.read(testCsv, conf);
        CliRunner.Result text = CliRunner.run(logreg("text", "data.path=" + trainCsv, "data.testPath=" + testCsv));
        assertThat(text.exitCode()).as(text.err()).isZero();
        textRun = new File(tmp, "out/text");
    }

    @Test
    void parquetWithAnArrayColumnTrainsExactlyLikeTheCsv() throws IOException {
        try (SparkSession spark = session()) {
            StructType schema = new StructType().add("example", DataTypes.LongType)
                    .add("x", DataTypes.createArrayType(DataTypes.DoubleType)).add("y", DataTypes.ShortType);
            for (String part : new String[] {"train", "test"}) {
                List<Row> rows = new ArrayList<>();
                for (LabeledVector v : part.equals("train") ? train : test) {
                    List<Double> x = new ArrayList<>();
                    for (float f : v.features()) {
                        x.add((double) f);
                    }
                    rows.add(RowFactory.create(v.id(), x, (short) v.label()));
                }
                Collections.shuffle(rows, new Random(1));
                spark.createDataFrame(rows, schema).repartition(3).write().parquet(file("pq-" + part).toString());
            }
        }
        CliRunner.Result run = CliRunner.run(logreg("parquet", "data.format=parquet",
                "data.path=" + file("pq-train"), "data.testPath=" + file("pq-test"), "data.columns.features=x",
                "data.columns.label=y", "data.columns.id=example"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertSameTraining(file("out/parquet"));
    }

    @Test
    void aCatalogTableWithOneColumnPerFeatureTrainsExactlyLikeTheCsv() throws IOException {
        SparkSession spark = session();
        spark.sql("CREATE DATABASE IF NOT EXISTS ml");
        StructType schema = new StructType().add("id", DataTypes.LongType);
        for (int k = 0; k < DIM; k++) {
            schema = schema.add("f" + k, DataTypes.FloatType);
        }
        schema = schema.add("label", DataTypes.IntegerType).add("ds", DataTypes.StringType);
        for (String part : new String[] {"train", "test"}) {
            List<Row> rows = new ArrayList<>();
            for (LabeledVector v : part.equals("train") ? train : test) {
                Object[] r = new Object[DIM + 3];
                r[0] = v.id();
                for (int k = 0; k < DIM; k++) {
                    r[k + 1] = v.features()[k];
                }
                r[DIM + 1] = v.label();
                r[DIM + 2] = "2026-12-01";
                rows.add(RowFactory.create(r));
            }
            Collections.shuffle(rows, new Random(2));
            spark.createDataFrame(rows, schema).repartition(2).write().partitionBy("ds")
                    .saveAsTable("ml.vectors_" + part);
        }
        // the job's SparkSession.getOrCreate finds this session's catalog (and stops the session at the end)
        CliRunner.Result run = CliRunner.run(logreg("table", "data.table=ml.vectors_train",
                "data.testTable=ml.vectors_test", "data.where=ds = '2026-12-01'",
                "data.columns.features=[f0, f1, f2, f3]", "data.columns.id=id"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertSameTraining(file("out/table"));
    }

    @Test
    void schemaErrorsNameTheColumnAndCommitNothing() {
        try (SparkSession spark = session()) {
            List<Row> rows = List.of(RowFactory.create(List.of("a", "b"), 1.5, 1L),
                    RowFactory.create(List.of("c", "d"), 0.0, 2L));
            spark.createDataFrame(rows, new StructType().add("features", DataTypes.createArrayType(
                    DataTypes.StringType)).add("label", DataTypes.DoubleType).add("id", DataTypes.LongType))
                    .write().parquet(file("pq-bad").toString());
            List<Row> ragged = List.of(RowFactory.create(List.of(1.0f, 2.0f), 1), RowFactory.create(List.of(1.0f), 0));
            spark.createDataFrame(ragged, new StructType().add("features", DataTypes.createArrayType(
                    DataTypes.FloatType)).add("label", DataTypes.IntegerType))
                    .write().parquet(file("pq-ragged").toString());
        }
        String bad = "data.path=" + file("pq-bad");
        expectError("strings", "column 'features' (data.columns.features) has type array<string>, expected an "
                + "array of numbers", "data.format=parquet", bad);
        expectError("label", "column 'label' (data.columns.label) has type double, expected an integer type",
                "data.format=parquet", bad, "data.columns.features=[id]");
        expectError("ragged", "hold vectors of 1 to 2 numbers; expected one size", "data.format=parquet",
                "data.path=" + file("pq-ragged"));
    }

    private static void expectError(String runId, String message, String... data) {
        CliRunner.Result r = CliRunner.run(logreg(runId, data));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("concord: error: ").contains(message);
        assertThat(file("out/" + runId)).doesNotExist();
    }

    private static void assertSameTraining(File run) throws IOException {
        assertThat(Files.readAllBytes(new File(run, "model/params.bin").toPath()))
                .isEqualTo(Files.readAllBytes(new File(textRun, "model/params.bin").toPath()));
        JsonNode expected = metrics(textRun);
        JsonNode actual = metrics(run);
        assertThat(actual.path("accuracy").asDouble()).isEqualTo(expected.path("accuracy").asDouble())
                .isGreaterThan(0.8);
        assertThat(actual.path("testLoss").asDouble()).isEqualTo(expected.path("testLoss").asDouble());
    }

    private static JsonNode metrics(File run) throws IOException {
        return new ObjectMapper().readTree(new File(run, "summary.json")).path("metrics");
    }

    private static File file(String relative) {
        return new File(tmp, relative);
    }

    private static String[] logreg(String runId, String... data) {
        List<String> a = new ArrayList<>(List.of("train", "logreg", "--output", file("out").toString(),
                "--run-id", runId, "--master", "local[2]", "--no-progress", "--set", "data.generate=null",
                "--set", "train.rounds=12", "--set", "train.batchSize=32", "--set", "train.partitions=2",
                "--set", "eval.every=6"));
        for (String d : data) {
            a.add("--set");
            a.add(d);
        }
        return a.toArray(String[]::new);
    }

    private static SparkSession session() {
        return TableTestRuns.session("vector-tables-test", file("warehouse"));
    }
}
