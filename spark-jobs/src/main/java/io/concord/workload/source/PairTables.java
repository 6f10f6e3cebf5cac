package io.concord.workload.source;

import io.concord.data.io.OnBadRecord;
import io.concord.data.pref.JsonRecords;
import io.concord.data.pref.PreferencePairReader;
import io.concord.data.pref.TextPair;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Reads preference pairs from a Spark SQL source as {@link TextPair}s on the executors: prompt, chosen and rejected
 * columns, or chosen and rejected HH-RLHF dialogues ({@link PairColumns}). A row is checked like a JSONL record
 * ({@link PreferencePairReader#of}): a null or blank text, or identical completions, is a bad record.
 */
public final class PairTables {

    private PairTables() {
    }

    public static JavaRDD<TextPair> read(SparkSession spark, TableSource source, PairColumns c, OnBadRecord policy) {
        Dataset<Row> rows = source.read(spark);
        StructType schema = rows.schema();
        boolean dialogues = c.prompt() == null && schema.getFieldIndex("prompt").isEmpty();
        String promptColumn = c.prompt() == null ? "prompt" : c.prompt();
        List<Column> out = new ArrayList<>();
        if (dialogues) {
            out.add(lit(null).cast(DataTypes.StringType));
        } else {
            Columns.require(schema, source, "data.columns.prompt", promptColumn, Columns.Kind.TEXT);
            out.add(col(promptColumn));
        }
        Columns.require(schema, source, "data.columns.chosen", c.chosen(), Columns.Kind.TEXT);
        Columns.require(schema, source, "data.columns.rejected", c.rejected(), Columns.Kind.TEXT);
        out.add(col(c.chosen()));
        out.add(col(c.rejected()));
        if (c.id() != null) {
            Columns.require(schema, source, "data.columns.id", c.id(), Columns.Kind.INTEGER);
            out.add(col(c.id()).as("__id"));
        }
        Dataset<Row> selected = rows.select(out.toArray(Column[]::new));
        if (c.id() != null) {
            selected = selected.orderBy("__id");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String chosen = c.chosen();
        String rejected = c.rejected();
        return TableRows.read(sc, source, selected, policy, r -> {
            String prompt = dialogues ? null : (String) TableRows.required(r, 0, promptColumn, "data.columns.prompt");
            String ch = (String) TableRows.required(r, 1, chosen, "data.columns.chosen");
            String rej = (String) TableRows.required(r, 2, rejected, "data.columns.rejected");
            try {
                return PreferencePairReader.of(prompt, ch, rej);
            } catch (JsonRecords.Bad e) {
                throw new TableRows.BadRow(e.getMessage());
            }
        });
    }
}
