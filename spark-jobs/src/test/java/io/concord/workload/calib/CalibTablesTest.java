package io.concord.workload.calib;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import io.concord.core.calib.CalibParam;
import io.concord.data.calib.StereoDataset;
import io.concord.data.calib.StereoPair;
import io.concord.job.ConcordSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code calib} trained from Spark SQL image-pair sources written inside the test — Parquet train/test directories
 * with renamed columns and rows shuffled, and a date partition of a partitioned catalog table split by the record ids
 * — gives exactly the parameters of training on the same records from shard datasets; schema errors name the column,
 * its type and the expected type, a bad row names partition, row and column, and {@code onBadRecord: skip} counts it.
 */
class CalibTablesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] RENAMED = {"left=img_l", "right=img_r", "width=w", "height=h", "fx=focal_x",
        "theta=pitch", "id=pair"};

    @TempDir
    static Path tmp;

    private static List<StereoPair> train;
    private static List<StereoPair> test;

    /** Shards of the same records, in id order (the order a table's rows are read in). */
    @BeforeAll
    static void shards() {
        List<StereoPair> all = new ArrayList<>(CalibTestData.pairs(CalibCliTest.TRAIN + CalibCliTest.TEST));
        train = sorted(all.subList(0, CalibCliTest.TRAIN));
        test = sorted(all.subList(CalibCliTest.TRAIN, all.size()));
        FileSystem fs = fs();
        StereoDataset.write(fs, hadoop("shards/train"), train, 16);
        StereoDataset.write(fs, hadoop("shards/test"), test, 16);
        List<StereoPair> both = new ArrayList<>(train);
        both.addAll(test);
        StereoDataset.write(fs, hadoop("shards/all"), sorted(both), 16);
    }

    @Test
    void parquetWithRenamedColumnsTrainsExactlyLikeTheShards() throws IOException {
        run("shards-2", "data.path=" + tmp.resolve("shards/train"), "data.testPath=" + tmp.resolve("shards/test"));
        try (SparkSession spark = session()) {
            StructType schema = schema(true, DataTypes.ShortType);
            spark.createDataFrame(rows(train, true, null), schema).repartition(3).write()
                    .parquet(tmp.resolve("pq-train").toString());
            spark.createDataFrame(rows(test, true, null), schema).repartition(2).write()
                    .parquet(tmp.resolve("pq-test").toString());
        }
        List<String> sets = new ArrayList<>(List.of("data.format=parquet", "data.path=" + tmp.resolve("pq-train"),
                "data.testPath=" + tmp.resolve("pq-test")));
        for (String r : RENAMED) {
            sets.add("data.columns." + r);
        }
        run("parquet", sets.toArray(String[]::new));
        assertSameTraining("parquet", "shards-2");
        JsonNode manifest = JSON.readTree(tmp.resolve("out/parquet/model/model.json").toFile());
        assertThat(manifest.path("details").path("imageWidth").asInt()).isEqualTo(CalibCliTest.SIZE);

        // predict on the held-out pairs (default column names): the MAE of its columns is the run's
        try (SparkSession spark = session()) {
            spark.createDataFrame(rows(test, false, null), schema(false, DataTypes.IntegerType)).repartition(2)
                    .write().parquet(tmp.resolve("pq-default").toString());
        }
        CliRunner.Result predict = CliRunner.run("predict", "--model", tmp.resolve("out/parquet").toString(),
                "--input", tmp.resolve("pq-default").toString(), "--output", tmp.resolve("preds").toString(),
                "--master", "local[2]");
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        JsonNode metrics = JSON.readTree(tmp.resolve("out/parquet/summary.json").toFile()).path("metrics");
        try (SparkSession spark = session()) {
            List<Row> out = spark.read().parquet(tmp.resolve("preds").toString()).collectAsList();
            assertThat(out).hasSize(CalibCliTest.TEST);
            for (CalibParam p : CalibParam.values()) {
                double sum = 0;
                for (Row r : out) {
                    sum += Math.abs(r.getDouble(r.fieldIndex("pred_" + p.key()))
                            - (float) r.getDouble(r.fieldIndex(p.key())));
                }
                double mae = metrics.path("mae." + p.key()).asDouble();
                assertThat(sum / out.size()).as(p.key()).isCloseTo(mae, within(1e-6 * Math.abs(mae) + 1e-12));
            }
            assertThat(out.get(0).getString(out.get(0).fieldIndex("id"))).startsWith("calib-");
        }

        // evaluate on the same held-out pairs reproduces the run's metrics
        CliRunner.Result evaluate = CliRunner.run("evaluate", "--model", tmp.resolve("out/parquet").toString(),
                "--data", tmp.resolve("pq-default").toString(), "--output", tmp.resolve("eval").toString(),
                "--master", "local[2]");
        assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
        JsonNode evaluated = JSON.readTree(tmp.resolve("eval/metrics.json").toFile()).path("metrics");
        assertThat(evaluated.path("pairs").asInt()).isEqualTo(CalibCliTest.TEST);
        for (CalibParam p : CalibParam.values()) {
            double median = metrics.path("median.mae." + p.key()).asDouble();
            assertThat(evaluated.path("median.mae." + p.key()).asDouble()).as(p.key())
                    .isCloseTo(median, within(1e-12 * Math.abs(median) + 1e-15));
            double mae = metrics.path("mae." + p.key()).asDouble();
            assertThat(evaluated.path("mae." + p.key()).asDouble()).as(p.key())
                    .isCloseTo(mae, within(1e-6 * Math.abs(mae) + 1e-12));
        }
        assertThat(evaluated.path("relativeMae").asDouble()).isCloseTo(metrics.path("relativeMae").asDouble(),
                within(1e-6));
    }

    @Test
    void aDatePartitionOfACatalogTableSplitByIdTrainsExactlyLikeTheShards() throws IOException {
        run("shards-1", "data.path=" + tmp.resolve("shards/all"), "data.testFraction=0.25");
        SparkSession spark = session();
        spark.sql("CREATE DATABASE IF NOT EXISTS vision");
        List<StereoPair> both = new ArrayList<>(train);
        both.addAll(test);
        List<Row> rows = rows(both, false, "2026-12-01");
        // another day's pairs (another image size too), which data.where leaves out
        StereoPair other = CalibTestData.pairs(1).get(0);
        rows.add(row(new StereoPair("calib-x", 1, 1, new byte[3], new byte[3], other.label()), false, "2026-11-30"));
        spark.createDataFrame(rows, schema(false, DataTypes.IntegerType).add("ds", DataTypes.StringType))
                .repartition(2).write().partitionBy("ds").saveAsTable("vision.pairs");
        // the job's SparkSession.getOrCreate finds this session's catalog (and stops the session at the end)
        run("table", "data.table=vision.pairs", "data.where=ds = '2026-12-01'", "data.testFraction=0.25");
        assertSameTraining("table", "shards-1");
    }

    @Test
    void schemaErrorsAndBadRowsNameTheColumnAndCommitNothing() throws IOException {
        try (SparkSession spark = session()) {
            spark.createDataFrame(List.of(RowFactory.create("p1", "not bytes")), new StructType()
                    .add("id", DataTypes.StringType).add("left", DataTypes.StringType)).write()
                    .parquet(tmp.resolve("pq-text").toString());
            spark.createDataFrame(List.of(RowFactory.create("p1", 4, "not bytes")), new StructType()
                    .add("id", DataTypes.StringType).add("w", DataTypes.IntegerType)
                    .add("left", DataTypes.StringType)).write()
                    .parquet(tmp.resolve("pq-binary").toString());
            List<Row> rows = rows(train, false, null);
            Object[] bad = rowValues(train.get(5), false, null);
            bad[0] = "calib-bad";
            bad[3] = Arrays.copyOf((byte[]) bad[3], 700);
            rows.add(RowFactory.create(bad));
            spark.createDataFrame(rows, schema(false, DataTypes.IntegerType)).coalesce(1).write()
                    .parquet(tmp.resolve("pq-short").toString());
        }
        expectError("missing", "no column 'width' (data.columns.width); columns: id string, left string",
                "data.format=parquet", "data.path=" + tmp.resolve("pq-text"));
        expectError("type", "column 'id' (data.columns.width) has type string, expected an integer type",
                "data.format=parquet", "data.path=" + tmp.resolve("pq-text"), "data.columns.width=id");
        expectError("binary", "column 'left' (data.columns.left) has type string, expected binary",
                "data.format=parquet", "data.path=" + tmp.resolve("pq-binary"), "data.columns.width=w",
                "data.columns.height=w");
        String shortRow = expectError("short", "column 'left' (data.columns.left) holds 700 bytes, expected 768 "
                + "(16x16x3 RGB)", "data.format=parquet", "data.path=" + tmp.resolve("pq-short"));
        assertThat(shortRow).containsPattern("parquet " + tmp.resolve("pq-short") + " partition \\d+.*row \\d+: "
                + "column 'left'");

        run("skip", "data.format=parquet", "data.path=" + tmp.resolve("pq-short"), "data.onBadRecord=skip",
                "train.rounds=1", "eval.every=1");
        JsonNode skipped = JSON.readTree(tmp.resolve("out/skip/summary.json").toFile()).path("details")
                .path("badRecords");
        assertThat(skipped.path("skipped").asLong()).isEqualTo(1);
        assertThat(skipped.path("first").get(0).asText()).contains("column 'left'");
    }

    private static void assertSameTraining(String run, String shards) throws IOException {
        assertThat(Files.readAllBytes(tmp.resolve("out/" + run + "/model/params.bin")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("out/" + shards + "/model/params.bin")));
        JsonNode expected = JSON.readTree(tmp.resolve("out/" + shards + "/summary.json").toFile());
        JsonNode actual = JSON.readTree(tmp.resolve("out/" + run + "/summary.json").toFile());
        for (String k : List.of("trainExamples", "testExamples", "scalingOffsets", "scalingScales")) {
            assertThat(actual.path("details").path(k)).as(k).isEqualTo(expected.path("details").path(k));
        }
        for (CalibParam p : CalibParam.values()) {
            String median = "median.mae." + p.key();
            assertThat(actual.path("metrics").path(median).asDouble())
                    .isEqualTo(expected.path("metrics").path(median).asDouble());
            // shards and table rows are partitioned differently, so the held-out pairs meet the float32 network in
            // batches of other compositions and the sums are folded in other groups: float32-level differences
            double mae = expected.path("metrics").path("mae." + p.key()).asDouble();
            assertThat(actual.path("metrics").path("mae." + p.key()).asDouble()).isCloseTo(mae,
                    within(1e-6 * Math.abs(mae) + 1e-12));
        }
    }

    private static StructType schema(boolean renamed, DataType size) {
        Map<String, String> names = new java.util.HashMap<>();
        if (renamed) {
            for (String r : RENAMED) {
                names.put(r.substring(0, r.indexOf('=')), r.substring(r.indexOf('=') + 1));
            }
        }
        StructType s = new StructType().add(names.getOrDefault("id", "id"), DataTypes.StringType)
                .add(names.getOrDefault("width", "width"), size).add(names.getOrDefault("height", "height"), size)
                .add(names.getOrDefault("left", "left"), DataTypes.BinaryType)
                .add(names.getOrDefault("right", "right"), DataTypes.BinaryType);
        for (CalibParam p : CalibParam.values()) {
            s = s.add(names.getOrDefault(p.key(), p.key()), DataTypes.DoubleType);
        }
        return s;
    }

    /** Rows in shuffled order; sizes as smallint when {@code shortSizes}, labels as double. */
    private static List<Row> rows(List<StereoPair> pairs, boolean shortSizes, String ds) {
        List<Row> rows = new ArrayList<>();
        for (StereoPair p : pairs) {
            rows.add(row(p, shortSizes, ds));
        }
        Collections.shuffle(rows, new Random(5));
        return rows;
    }

    private static Row row(StereoPair p, boolean shortSizes, String ds) {
        return RowFactory.create(rowValues(p, shortSizes, ds));
    }

    private static Object[] rowValues(StereoPair p, boolean shortSizes, String ds) {
        List<Object> v = new ArrayList<>(List.of(p.id(), shortSizes ? (Object) (short) p.width() : p.width(),
                shortSizes ? (Object) (short) p.height() : p.height(), p.left(), p.right()));
        for (float x : p.label()) {
            v.add((double) x);
        }
        if (ds != null) {
            v.add(ds);
        }
        return v.toArray();
    }

    private static void run(String runId, String... data) {
        CliRunner.Result r = CliRunner.run(CalibCliTest.train(tmp.resolve("out"), runId, sets(data)));
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    private static String expectError(String runId, String message, String... data) {
        CliRunner.Result r = CliRunner.run(CalibCliTest.train(tmp.resolve("out"), runId, sets(data)));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("concord: error: ").contains(message);
        assertThat(tmp.resolve("out/" + runId)).doesNotExist();
        return r.err();
    }

    private static String[] sets(String... data) {
        List<String> a = new ArrayList<>(List.of("--set", "data.generate=null"));
        for (String d : data) {
            a.add("--set");
            a.add(d);
        }
        return a.toArray(String[]::new);
    }

    private static List<StereoPair> sorted(List<StereoPair> pairs) {
        List<StereoPair> out = new ArrayList<>(pairs);
        out.sort(Comparator.comparing(StereoPair::id));
        return out;
    }

    private static FileSystem fs() {
        try {
            return FileSystem.getLocal(new Configuration());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static org.apache.hadoop.fs.Path hadoop(String relative) {
        return new org.apache.hadoop.fs.Path(tmp.resolve(relative).toUri());
    }

    private static SparkSession session() {
        return ConcordSpark.session(ConcordSpark.conf("local[2]", "calib-tables-test", Map.of("spark.ui.enabled",
                "false", "spark.sql.shuffle.partitions", "4",
                "spark.sql.warehouse.dir", new File(tmp.toFile(), "warehouse").toURI().toString())));
    }
}
