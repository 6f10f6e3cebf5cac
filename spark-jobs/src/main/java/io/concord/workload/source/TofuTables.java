package io.concord.workload.source;

import io.concord.config.ConfigException;
import io.concord.data.io.OnBadRecord;
import io.concord.data.pref.TofuQa;
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

/**
 * Reads TOFU question–answer records from Spark SQL sources, one source per split (the splits overlap — forget01 ⊂
 * forget05 ⊂ forget10, each retainNN is the complement of a forget split — so, as in the HF dataset, each split is
 * its own Parquet file or table). The configured path or table name is a template: {@value #SPLIT} is replaced by
 * the split name ({@code /lake/tofu/{split}}, {@code tofu_{split}}); a path without the placeholder is the folder
 * {@code <path>/<split>}. A row becomes the record the JSON reader makes of {@code {"question", "answer"}} with those
 * values, on the executors ({@link TableRows}); a null or empty (all-blank) text is a bad record.
 */
public final class TofuTables {

    /** The placeholder of the split name in {@code data.path} / {@code data.table}. */
    public static final String SPLIT = "{split}";

    private TofuTables() {
    }

    /**
     * {@code keys.check} for a TOFU source: JSON files (text format {@code jsonl}, the default) or a Spark SQL format;
     * a table name must hold the {@value #SPLIT} placeholder (one table per split).
     */
    public static SqlFormat check(SqlKeys keys) {
        SqlFormat sql = keys.check(List.of("jsonl"));
        if (sql == SqlFormat.TABLE && !keys.table().contains(SPLIT)) {
            throw new ConfigException("data.table", keys.table(), "a table name with the " + SPLIT + " placeholder, "
                    + "e.g. tofu_" + SPLIT + " (one table per TOFU split)");
        }
        return sql;
    }

    /** The Spark SQL source of split {@code split}, or null when {@code keys} name JSON files. */
    public static TableSource source(SqlKeys keys, String split) {
        List<TableSource> s = keys.sources();
        if (s.isEmpty()) {
            return null;
        }
        TableSource t = s.get(0);
        return new TableSource(t.format(), name(t.name(), split, ""), t.where(), t.options(), t.key());
    }

    /**
     * {@code template} with {@value #SPLIT} replaced by {@code split}, or without the placeholder
     * {@code <template>/<split><suffix>} (the JSON files: suffix {@code .json}).
     */
    public static String name(String template, String split, String suffix) {
        if (template.contains(SPLIT)) {
            return template.replace(SPLIT, split);
        }
        return (template.endsWith("/") ? template : template + "/") + split + suffix;
    }

    /** The records of one split's source, in the source's order (by the id column when one is mapped). */
    public static JavaRDD<TofuQa> read(SparkSession spark, TableSource source, TofuColumns c, OnBadRecord policy) {
        Dataset<Row> rows = source.read(spark);
        StructType schema = rows.schema();
        Columns.require(schema, source, "data.columns.question", c.question(), Columns.Kind.TEXT);
        Columns.require(schema, source, "data.columns.answer", c.answer(), Columns.Kind.TEXT);
        List<Column> out = new ArrayList<>(List.of(col(c.question()), col(c.answer())));
        if (c.id() != null) {
            Columns.require(schema, source, "data.columns.id", c.id(), Columns.Kind.INTEGER);
            out.add(col(c.id()).cast(DataTypes.LongType).as("__id"));
        }
        Dataset<Row> selected = rows.select(out.toArray(Column[]::new));
        if (c.id() != null) {
            selected = selected.orderBy("__id");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String question = c.question();
        String answer = c.answer();
        return TableRows.read(sc, source, selected, policy, r -> TofuQa.of(
                text(r, 0, question, "data.columns.question"), text(r, 1, answer, "data.columns.answer")));
    }

    private static String text(Row r, int field, String column, String key) throws TableRows.BadRow {
        String s = (String) TableRows.required(r, field, column, key);
        if (s.isBlank()) {
            throw new TableRows.BadRow("column '" + column + "' (" + key + ") is empty");
        }
        return s;
    }
}
