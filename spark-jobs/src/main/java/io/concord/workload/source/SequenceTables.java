package io.concord.workload.source;

import io.concord.core.moe.MoeExample;
import io.concord.data.io.OnBadRecord;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Reads token sequences with a domain label ({@code moe}) from a Spark SQL source as {@link MoeExample}s: the rows
 * stay on the executors; the driver gets the distinct domain names (one aggregation). A row becomes the same example
 * as the JSONL record {@code {"tokens": […], "domain": …}} (or {@code {"text": …}}) with those values, domain names
 * sorted as text and indexed in that order.
 */
public final class SequenceTables {

    static final String SEQUENCE = "__sequence";
    static final String DOMAIN = "__domain";
    static final String ID = "__id";

    private SequenceTables() {
    }

    /**
     * Schema checks, then {@code __sequence} ({@code array<bigint>}, or the text), {@code __domain} (string, or null
     * without a domain column), ordered by the id column when one is mapped.
     */
    public static Dataset<Row> select(SparkSession spark, TableSource source, SequenceColumns c) {
        Dataset<Row> rows = source.read(spark);
        StructType schema = rows.schema();
        Column sequence;
        if (c.isText()) {
            Columns.require(schema, source, "data.columns.text", c.text(), Columns.Kind.TEXT);
            sequence = col(c.text());
        } else {
            Columns.require(schema, source, "data.columns.tokens", c.tokens(), Columns.Kind.INTEGER_ARRAY);
            sequence = col(c.tokens()).cast(DataTypes.createArrayType(DataTypes.LongType));
        }
        Column domain;
        if (c.domain() != null || schema.getFieldIndex("domain").isDefined()) {
            String name = c.domain() == null ? "domain" : c.domain();
            Columns.require(schema, source, "data.columns.domain", name, Columns.Kind.ID);
            domain = col(name).cast(DataTypes.StringType);
        } else {
            domain = lit(null).cast(DataTypes.StringType);
        }
        List<Column> out = new ArrayList<>(List.of(sequence.as(SEQUENCE), domain.as(DOMAIN)));
        if (c.id() != null) {
            Columns.require(schema, source, "data.columns.id", c.id(), Columns.Kind.INTEGER);
            out.add(col(c.id()).cast(DataTypes.LongType).as(ID));
        }
        Dataset<Row> selected = rows.select(out.toArray(Column[]::new));
        return c.id() == null ? selected : selected.orderBy(ID);
    }

    /** The sorted distinct domain names of the selected sources (nulls are examples without a domain). */
    public static List<String> domains(List<Dataset<Row>> selected) {
        TreeSet<String> names = new TreeSet<>();
        for (Dataset<Row> rows : selected) {
            for (Row r : rows.select(DOMAIN).distinct().collectAsList()) {
                if (!r.isNullAt(0)) {
                    names.add(r.getString(0));
                }
            }
        }
        return List.copyOf(names);
    }

    /**
     * The examples of selected rows.
     *
     * @param vocabSize token ids must be below it (0 = any id {@code >= 0})
     */
    public static JavaRDD<MoeExample> examples(JavaSparkContext sc, TableSource source, Dataset<Row> selected,
                                               SequenceColumns c, List<String> domains, int vocabSize,
                                               OnBadRecord policy) {
        Map<String, Integer> index = new HashMap<>();
        for (int d = 0; d < domains.size(); d++) {
            index.put(domains.get(d), d);
        }
        boolean text = c.isText();
        String column = text ? c.text() : c.tokens();
        String key = text ? "data.columns.text" : "data.columns.tokens";
        return TableRows.read(sc, source, selected, policy, r -> {
            Object value = TableRows.required(r, 0, column, key);
            int domain = r.isNullAt(1) ? MoeExample.UNKNOWN_DOMAIN : index.get(r.getString(1));
            return MoeExample.tokens(text ? bytes((String) value) : tokens(r.getList(0), column, vocabSize),
                    domain);
        });
    }

    private static int[] bytes(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] t = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            t[i] = b[i] & 0xFF;
        }
        return t;
    }

    private static int[] tokens(List<Long> ids, String column, int vocabSize) throws TableRows.BadRow {
        int[] t = new int[ids.size()];
        long limit = vocabSize > 0 ? vocabSize : Integer.MAX_VALUE;
        for (int i = 0; i < t.length; i++) {
            Long v = ids.get(i);
            if (v == null || v < 0 || v >= limit) {
                throw new TableRows.BadRow("column '" + column + "'[" + i + "] must be a token id in [0, "
                        + (vocabSize > 0 ? String.valueOf(vocabSize) : "2^31") + "), got " + v);
            }
            t[i] = v.intValue();
        }
        return t;
    }
}
