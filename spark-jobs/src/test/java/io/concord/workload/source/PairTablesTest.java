package io.concord.workload.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
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
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preference jobs trained from Spark SQL sources written inside the test give exactly the parameters and metrics
 * of training on the same pairs from JSONL: {@code pref-sft} and {@code pref-align} from Parquet with renamed
 * prompt/chosen/rejected columns, and {@code pref-align} from a partitioned catalog table of HH-RLHF dialogues (chosen
 * and rejected transcripts, no prompt column). Bad rows name the column; {@code onBadRecord: skip} counts them.
 */
class PairTablesTest {

    private static final int PAIRS = 40;
    private static final String[] TINY = {"model.hidden=8", "train.batchSize=4", "train.partitions=2",
        "data.heldOutFraction=0.3", "data.maxPromptTokens=16", "data.maxCompletionTokens=8", "eval.every=2"};

    @TempDir
    static File tmp;

    private static File sftText;
    private static File dpoText;

    @BeforeAll
    static void jsonlBaseline() throws IOException {
        StringBuilder sb = new StringBuilder();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < PAIRS; i++) {
            sb.append(json.writeValueAsString(Map.of("prompt", prompt(i), "chosen", chosen(i), "rejected",
                    rejected(i)))).append('\n');
        }
        Files.writeString(file("pairs.jsonl").toPath(), sb.toString());
        CliRunner.Result sft = train("pref-sft", "sft-text", "data.source=pairs", "data.path=" + file("pairs.jsonl"));
        assertThat(sft.exitCode()).as(sft.err()).isZero();
        sftText = file("out/sft-text");
        CliRunner.Result dpo = train("pref-align", "dpo-text", dpo("data.pairs=" + file("pairs.jsonl")));
        assertThat(dpo.exitCode()).as(dpo.err()).isZero();
        dpoText = file("out/dpo-text");
    }

    @Test
    void parquetWithRenamedColumnsTrainsSftAndDpoExactlyLikeTheJsonl() throws IOException {
        try (SparkSession spark = session()) {
            StructType schema = new StructType().add("n", DataTypes.IntegerType).add("question", DataTypes.StringType)
                    .add("good", DataTypes.StringType).add("bad", DataTypes.StringType);
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < PAIRS; i++) {
                rows.add(RowFactory.create(i, prompt(i), chosen(i), rejected(i)));
            }
            Collections.shuffle(rows, new Random(4));
            spark.createDataFrame(rows, schema).repartition(3).write().parquet(file("pq-pairs").toString());
        }
        String[] columns = {"data.format=parquet", "data.columns.prompt=question", "data.columns.chosen=good",
            "data.columns.rejected=bad", "data.columns.id=n"};
        CliRunner.Result sft = train("pref-sft", "sft-parquet", concat(columns, "data.source=pairs",
                "data.path=" + file("pq-pairs")));
        assertThat(sft.exitCode()).as(sft.err()).isZero();
        assertSameTraining(file("out/sft-parquet"), sftText, "heldout.loglik");
        CliRunner.Result dpo = train("pref-align", "dpo-parquet", dpo(concat(columns,
                "data.pairs=" + file("pq-pairs"))));
        assertThat(dpo.exitCode()).as(dpo.err()).isZero();
        assertSameTraining(file("out/dpo-parquet"), dpoText, "pairs.accuracy");
    }

    @Test
    void aCatalogTableOfHhRlhfDialoguesTrainsDpoExactlyLikeTheJsonlPairs() throws IOException {
        SparkSession spark = session();
        spark.sql("CREATE DATABASE IF NOT EXISTS prefs");
        StructType schema = new StructType().add("id", DataTypes.LongType).add("chosen", DataTypes.StringType)
                .add("rejected", DataTypes.StringType).add("ds", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            rows.add(RowFactory.create((long) i, prompt(i) + chosen(i), prompt(i) + rejected(i), "2026-12-01"));
        }
        rows.add(RowFactory.create(99L, "not a dialogue", "neither", "2026-11-30"));
        Collections.shuffle(rows, new Random(5));
        spark.createDataFrame(rows, schema).repartition(2).write().partitionBy("ds").saveAsTable("prefs.hh");
        // the job's SparkSession.getOrCreate finds this session's catalog (and stops the session at the end)
        CliRunner.Result dpo = train("pref-align", "dpo-table", dpo("data.pairs=null", "data.table=prefs.hh",
                "data.where=ds = '2026-12-01'", "data.columns.id=id"));
        assertThat(dpo.exitCode()).as(dpo.err()).isZero();
        assertSameTraining(file("out/dpo-table"), dpoText, "pairs.accuracy");
    }

    @Test
    void badRowsNameTheColumnAndSkipCountsThem() throws IOException {
        try (SparkSession spark = session()) {
            StructType schema = new StructType().add("prompt", DataTypes.StringType)
                    .add("chosen", DataTypes.StringType).add("rejected", DataTypes.StringType);
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < PAIRS; i++) {
                rows.add(RowFactory.create(prompt(i), chosen(i), rejected(i)));
            }
            rows.add(RowFactory.create("\n\nHuman: Q?\n\nAssistant:", null, " no"));
            spark.createDataFrame(rows, schema).coalesce(1).write().parquet(file("pq-null").toString());
            spark.createDataFrame(List.of(RowFactory.create(1L, "a", "b")), new StructType()
                    .add("prompt", DataTypes.LongType).add("chosen", DataTypes.StringType)
                    .add("rejected", DataTypes.StringType)).write().parquet(file("pq-long").toString());
        }
        CliRunner.Result fail = train("pref-sft", "fail", "data.source=pairs", "data.format=parquet",
                "data.path=" + file("pq-null"));
        assertThat(fail.exitCode()).as(fail.err()).isEqualTo(3);
        assertThat(fail.err()).contains("partition 0: row " + (PAIRS + 1) + ": column 'chosen' "
                + "(data.columns.chosen) is null");
        assertThat(file("out/fail")).doesNotExist();

        CliRunner.Result type = train("pref-sft", "type", "data.source=pairs", "data.format=parquet",
                "data.path=" + file("pq-long"));
        assertThat(type.exitCode()).as(type.err()).isEqualTo(3);
        assertThat(type.err()).contains("column 'prompt' (data.columns.prompt) has type bigint, expected a string "
                + "type");

        CliRunner.Result skip = train("pref-sft", "skip", "data.source=pairs", "data.format=parquet",
                "data.path=" + file("pq-null"), "data.onBadRecord=skip");
        assertThat(skip.exitCode()).as(skip.err()).isZero();
        JsonNode bad = new ObjectMapper().readTree(file("out/skip/summary.json")).path("details").path("badRecords");
        assertThat(bad.path("skipped").asLong()).isEqualTo(1);
        assertSameTraining(file("out/skip"), sftText, "heldout.loglik");
    }

    private static String prompt(int i) {
        return "\n\nHuman: Q" + i + ": ok?\n\nAssistant:";
    }

    private static String chosen(int i) {
        return " yes " + i % 7;
    }

    private static String rejected(int i) {
        return " no " + i % 5;
    }

    private static String[] dpo(String... data) {
        return concat(data, "init.run=" + sftText, "model.hidden=null", "loss.name=dpo", "loss.beta=0.5",
                "optimizer.lr=0.05");
    }

    private static void assertSameTraining(File run, File expected, String metric) throws IOException {
        assertThat(Files.readAllBytes(new File(run, "model/params.bin").toPath()))
                .isEqualTo(Files.readAllBytes(new File(expected, "model/params.bin").toPath()));
        assertThat(Files.readString(new File(run, "model/vocabulary.txt").toPath()))
                .isEqualTo(Files.readString(new File(expected, "model/vocabulary.txt").toPath()));
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(new File(run, "summary.json")).path("metrics");
        JsonNode e = json.readTree(new File(expected, "summary.json")).path("metrics");
        assertThat(a.has(metric)).isTrue();
        assertThat(a.path(metric).asDouble()).isEqualTo(e.path(metric).asDouble());
    }

    private static CliRunner.Result train(String job, String runId, String... sets) {
        return TableTestRuns.train(file("out"), job, runId, new String[] {"train.rounds=4"}, TINY, sets);
    }

    private static String[] concat(String[] a, String... b) {
        return TableTestRuns.concat(a, b);
    }

    private static File file(String relative) {
        return new File(tmp, relative);
    }

    private static SparkSession session() {
        return TableTestRuns.session("pair-tables-test", file("warehouse"));
    }

}
