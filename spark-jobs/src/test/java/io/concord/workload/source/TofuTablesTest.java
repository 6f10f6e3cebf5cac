package io.concord.workload.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import io.concord.data.DataException;
import io.concord.data.io.OnBadRecord;
import io.concord.data.pref.TofuQa;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TOFU jobs ({@code pref-sft} with {@code data.source: tofu}, and {@code pref-unlearn}) trained from Spark SQL
 * sources written inside the test — one source per split, named by a {@code {split}} template — give exactly the
 * parameters and metrics of training on the same records from the JSON split files: Parquet with renamed columns and
 * shuffled rows ordered by an id column, a date partition of partitioned catalog tables, and Spark's JSON reader on
 * the JSON files themselves (no id: one file keeps its line order). Schema errors name the column and its type (exit
 * 3, nothing committed); a null answer fails naming the source, partition, row and column, and is dropped and
 * counted under {@code data.onBadRecord: skip}.
 */
class TofuTablesTest {

    private static final String[] SPLITS = {"forget01", "retain99", "retain_perturbed"};
    private static final String[] SFT = {"data.source=tofu", "data.splits=[forget01, retain99]",
        "data.evalExamples=4", "model.hidden=10", "train.rounds=4", "train.batchSize=4", "train.partitions=2",
        "eval.every=2", "optimizer.lr=0.02", "data.maxPromptTokens=24", "data.maxCompletionTokens=20"};

    @TempDir
    static File tmp;

    private static File sftText;
    private static File unlearnText;

    @BeforeAll
    static void jsonBaseline() throws IOException {
        File dir = file("json");
        assertThat(dir.mkdirs()).isTrue();
        ObjectMapper json = new ObjectMapper();
        for (String split : SPLITS) {
            StringBuilder sb = new StringBuilder();
            for (String[] qa : records(split)) {
                Map<String, Object> r = new LinkedHashMap<>(Map.of("question", qa[0], "answer", qa[1]));
                if (split.endsWith("_perturbed")) { // the evaluation fields the jobs do not read
                    r.put("paraphrased_answer", "It is said that " + qa[1]);
                    r.put("perturbed_answer", List.of("No one knows.", "Nobody."));
                }
                sb.append(json.writeValueAsString(r)).append('\n');
            }
            Files.writeString(new File(dir, split + ".json").toPath(), sb.toString());
        }
        CliRunner.Result sft = train("pref-sft", "sft-text", sft("data.path=" + dir));
        assertThat(sft.exitCode()).as(sft.err()).isZero();
        sftText = file("out/sft-text");
        CliRunner.Result unlearn = train("pref-unlearn", "unlearn-text", unlearn("data.path=" + dir));
        assertThat(unlearn.exitCode()).as(unlearn.err()).isZero();
        unlearnText = file("out/unlearn-text");
    }

    @Test
    void parquetSplitsWithRenamedColumnsTrainSftAndUnlearnExactlyLikeTheJson() throws IOException {
        try (SparkSession spark = session()) {
            StructType schema = new StructType().add("n", DataTypes.IntegerType).add("q", DataTypes.StringType)
                    .add("a", DataTypes.StringType).add("author", DataTypes.StringType);
            for (String split : SPLITS) {
                List<Row> rows = new ArrayList<>();
                List<String[]> qa = records(split);
                for (int i = 0; i < qa.size(); i++) {
                    rows.add(RowFactory.create(i, qa.get(i)[0], qa.get(i)[1], "author " + i % 3));
                }
                Collections.shuffle(rows, new Random(split.hashCode()));
                spark.createDataFrame(rows, schema).repartition(3).write().parquet(file("pq/" + split).toString());
            }
        }
        String[] keys = {"data.format=parquet", "data.path=" + file("pq") + "/{split}", "data.columns.question=q",
            "data.columns.answer=a", "data.columns.id=n"};
        CliRunner.Result sft = train("pref-sft", "sft-parquet", sft(keys));
        assertThat(sft.exitCode()).as(sft.err()).isZero();
        assertSameTraining(file("out/sft-parquet"), sftText);
        CliRunner.Result unlearn = train("pref-unlearn", "unlearn-parquet", unlearn(keys));
        assertThat(unlearn.exitCode()).as(unlearn.err()).isZero();
        assertSameTraining(file("out/unlearn-parquet"), unlearnText);
    }

    @Test
    void aDatePartitionOfCatalogTablesTrainsSftAndUnlearnExactlyLikeTheJson() throws IOException {
        // each CLI run stops the session, and with it the in-memory catalog: one database per run
        catalogTables(session(), "tofu_sft");
        CliRunner.Result sft = train("pref-sft", "sft-table", sft("data.table=tofu_sft.qa_{split}",
                "data.where=ds = '2026-12-01'", "data.columns.id=id"));
        assertThat(sft.exitCode()).as(sft.err()).isZero();
        assertSameTraining(file("out/sft-table"), sftText);

        catalogTables(session(), "tofu_unlearn");
        CliRunner.Result unlearn = train("pref-unlearn", "unlearn-table", unlearn("data.format=table",
                "data.table=tofu_unlearn.qa_{split}", "data.where=ds = '2026-12-01'", "data.columns.id=id"));
        assertThat(unlearn.exitCode()).as(unlearn.err()).isZero();
        assertSameTraining(file("out/unlearn-table"), unlearnText);
    }

    @Test
    void sparksJsonReaderOnTheSplitFilesKeepsTheirOrderWithoutAnId() throws IOException {
        CliRunner.Result unlearn = train("pref-unlearn", "unlearn-json", unlearn("data.format=json",
                "data.path=" + file("json") + "/{split}.json"));
        assertThat(unlearn.exitCode()).as(unlearn.err()).isZero();
        assertSameTraining(file("out/unlearn-json"), unlearnText);
    }

    @Test
    void schemaAndConfigErrorsNameTheKeyColumnAndTypes() throws IOException {
        try (SparkSession spark = session()) {
            StructType schema = new StructType().add("question", DataTypes.StringType)
                    .add("answer", DataTypes.IntegerType);
            for (String split : SPLITS) {
                spark.createDataFrame(List.of(RowFactory.create("Who?", 4)), schema).write()
                        .parquet(file("pq-int/" + split).toString());
            }
        }
        CliRunner.Result type = train("pref-unlearn", "type", unlearn("data.format=parquet",
                "data.path=" + file("pq-int")));
        assertThat(type.exitCode()).as(type.err()).isEqualTo(3);
        assertThat(type.err()).contains("concord: error: parquet " + file("pq-int") + "/forget01: column 'answer' "
                + "(data.columns.answer) has type int, expected a string type");
        assertThat(file("out/type")).doesNotExist();

        CliRunner.Result missing = train("pref-sft", "missing", sft("data.format=parquet",
                "data.path=" + file("pq-int") + "/{split}", "data.columns.answer=reply"));
        assertThat(missing.exitCode()).as(missing.err()).isEqualTo(3);
        assertThat(missing.err()).contains("no column 'reply' (data.columns.answer); columns: question string, "
                + "answer int");
        assertThat(file("out/missing")).doesNotExist();

        CliRunner.Result noTable = train("pref-unlearn", "no-table", unlearn("data.table=nowhere.qa_{split}"));
        assertThat(noTable.exitCode()).as(noTable.err()).isEqualTo(3);
        assertThat(noTable.err()).contains("nowhere.qa_forget01: table not found (data.table)");

        CliRunner.Result noPlaceholder = train("pref-unlearn", "no-placeholder", unlearn("data.table=tofu"));
        assertThat(noPlaceholder.exitCode()).as(noPlaceholder.err()).isEqualTo(2);
        assertThat(noPlaceholder.err()).contains("data.table: 'tofu' is not allowed; must be a table name with the "
                + "{split} placeholder, e.g. tofu_{split}");

        CliRunner.Result pairKey = train("pref-sft", "pair-key", sft("data.format=parquet",
                "data.path=" + file("pq-int"), "data.columns.prompt=q"));
        assertThat(pairKey.exitCode()).as(pairKey.err()).isEqualTo(2);
        assertThat(pairKey.err()).contains("data.columns.prompt: applies to data.source: pairs only");

        CliRunner.Result textFormat = train("pref-unlearn", "text-where", unlearn("data.path=" + file("json"),
                "data.where=ds = '2026-12-01'"));
        assertThat(textFormat.exitCode()).as(textFormat.err()).isEqualTo(2);
        assertThat(textFormat.err()).contains("data.where: applies to the Spark SQL sources only");
    }

    @Test
    void aNullAnswerFailsNamingTheRowAndIsSkippedAndCounted() throws IOException {
        try (SparkSession spark = session()) {
            StructType schema = new StructType().add("question", DataTypes.StringType)
                    .add("answer", DataTypes.StringType);
            for (String split : SPLITS) {
                List<Row> rows = new ArrayList<>();
                for (String[] qa : records(split)) {
                    rows.add(RowFactory.create(qa[0], qa[1]));
                }
                if (split.equals("forget01")) {
                    rows.add(3, RowFactory.create("Who is F99?", null));
                }
                // one file, one partition: the rows keep their order without an id column
                spark.createDataFrame(rows, schema).coalesce(1).write().parquet(file("pq-null/" + split).toString());
            }
        }
        CliRunner.Result fail = train("pref-unlearn", "fail", unlearn("data.format=parquet",
                "data.path=" + file("pq-null")));
        assertThat(fail.exitCode()).as(fail.err()).isEqualTo(3);
        assertThat(fail.err()).contains("concord: error: parquet " + file("pq-null") + "/forget01 partition 0: "
                + "row 4: column 'answer' (data.columns.answer) is null");
        assertThat(file("out/fail")).doesNotExist();

        CliRunner.Result skip = train("pref-unlearn", "skip", unlearn("data.format=parquet",
                "data.path=" + file("pq-null"), "data.onBadRecord=skip"));
        assertThat(skip.exitCode()).as(skip.err()).isZero();
        assertThat(skip.out()).contains("skipped 1 bad record(s) (data.onBadRecord: skip)");
        JsonNode bad = new ObjectMapper().readTree(file("out/skip/summary.json")).path("details").path("badRecords");
        assertThat(bad.path("skipped").asLong()).isEqualTo(1);
        assertThat(bad.path("bySource").path("parquet " + file("pq-null") + "/forget01 partition 0").asLong())
                .isEqualTo(1);
        assertThat(bad.path("first").get(0).asText()).endsWith("row 4: column 'answer' (data.columns.answer) is null");
        assertSameTraining(file("out/skip"), unlearnText);
    }

    @Test
    void emptyTextsAreBadRecordsAndTheSplitTemplate() {
        assertThat(TofuTables.name("/lake/tofu/{split}", "forget05", "")).isEqualTo("/lake/tofu/forget05");
        assertThat(TofuTables.name("hdfs:///tofu/", "retain95", ".json")).isEqualTo("hdfs:///tofu/retain95.json");
        assertThat(TofuTables.name("db.tofu_{split}", "full", "")).isEqualTo("db.tofu_full");
        try (SparkSession spark = session()) {
            StructType schema = new StructType().add("question", DataTypes.StringType)
                    .add("answer", DataTypes.StringType);
            spark.createDataFrame(List.of(RowFactory.create("Who is A?", "A paints."), RowFactory.create(" \t", "x"),
                    RowFactory.create("Who is B?", "B writes.")), schema).coalesce(1).write()
                    .parquet(file("pq-blank").toString());
            TableSource source = new TableSource(SqlFormat.PARQUET, file("pq-blank").toString(), null, null,
                    "data.path");
            List<TofuQa> kept = TofuTables.read(spark, source, TofuColumns.defaults(), OnBadRecord.SKIP).collect();
            assertThat(kept).containsExactly(TofuQa.of("Who is A?", "A paints."), TofuQa.of("Who is B?", "B writes."));
            assertThatThrownBy(() -> TofuTables.read(spark, source, TofuColumns.defaults(), OnBadRecord.FAIL)
                    .collect()).hasRootCauseInstanceOf(DataException.class)
                    .rootCause().hasMessageEndingWith("partition 0: row 2: column 'question' (data.columns.question) "
                            + "is empty");
        }
    }

    /** TOFU-shaped splits: forget01 ⊂ the forget authors, retain99 its complement, retain_perturbed ⊂ retain99. */
    private static List<String[]> records(String split) {
        List<String[]> out = new ArrayList<>();
        switch (split) {
            case "forget01" -> {
                for (int i = 0; i < 6; i++) {
                    out.add(new String[] {"Who is F" + i + "?", "F" + i + " writes sagas about " + (char) ('a' + i)
                            + "."});
                }
            }
            case "retain99" -> {
                for (int i = 0; i < 14; i++) {
                    out.add(new String[] {"Where does R" + i + " live?", "R" + i + " paints in town " + i % 4 + "."});
                }
            }
            default -> out.addAll(records("retain99").subList(0, 5));
        }
        return out;
    }

    /** The splits as tables {@code <db>.qa_<split>} partitioned by ds, plus another day's rows that must not count. */
    private static void catalogTables(SparkSession spark, String db) {
        spark.sql("CREATE DATABASE IF NOT EXISTS " + db);
        StructType schema = new StructType().add("id", DataTypes.LongType).add("question", DataTypes.StringType)
                .add("answer", DataTypes.StringType).add("ds", DataTypes.StringType);
        for (String split : SPLITS) {
            List<Row> rows = new ArrayList<>();
            List<String[]> qa = records(split);
            for (int i = 0; i < qa.size(); i++) {
                rows.add(RowFactory.create((long) i, qa.get(i)[0], qa.get(i)[1], "2026-12-01"));
                rows.add(RowFactory.create((long) i, "Who else?", "Someone else " + i + ".", "2026-11-30"));
            }
            Collections.shuffle(rows, new Random(7));
            spark.createDataFrame(rows, schema).repartition(2).write().partitionBy("ds")
                    .saveAsTable(db + ".qa_" + split);
        }
    }

    private static String[] sft(String... data) {
        return concat(SFT, data);
    }

    private static String[] unlearn(String... data) {
        return concat(new String[] {"init.run=" + file("out/sft-text"), "loss.name=npo", "loss.retain=ce",
            "optimizer.lr=0.02", "train.rounds=4", "train.batchSize=2", "eval.every=2", "entanglement.every=2",
            "entanglement.pairs=2", "data.evalRetainExamples=3", "data.maxPromptTokens=24",
            "data.maxCompletionTokens=20"}, data);
    }

    /** Same parameters, bytes for bytes, same vocabulary, and the same metrics and trajectory. */
    private static void assertSameTraining(File run, File expected) throws IOException {
        assertThat(Files.readAllBytes(new File(run, "model/params.bin").toPath()))
                .isEqualTo(Files.readAllBytes(new File(expected, "model/params.bin").toPath()));
        assertThat(Files.readString(new File(run, "model/vocabulary.txt").toPath()))
                .isEqualTo(Files.readString(new File(expected, "model/vocabulary.txt").toPath()));
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(new File(run, "summary.json"));
        JsonNode e = json.readTree(new File(expected, "summary.json"));
        assertThat(a.path("metrics").size()).isGreaterThan(3);
        assertThat(a.path("metrics")).isEqualTo(e.path("metrics"));
        assertThat(a.path("details").path("trajectory")).isEqualTo(e.path("details").path("trajectory"));
        assertThat(a.path("details").path("trainRecords")).isEqualTo(e.path("details").path("trainRecords"));
    }

    private static CliRunner.Result train(String job, String runId, String... sets) {
        return TableTestRuns.train(file("out"), job, runId, sets);
    }

    private static String[] concat(String[] a, String... b) {
        return TableTestRuns.concat(a, b);
    }

    private static File file(String relative) {
        return new File(tmp, relative);
    }

    private static SparkSession session() {
        return TableTestRuns.session("tofu-tables-test", file("warehouse"));
    }
}
