package io.concord.workload.source;

import io.concord.data.io.BadRecords;
import io.concord.data.io.OnBadRecord;
import io.concord.job.SkippedRecords;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a table source turned into records on the executors, one row at a time. A row that is not a record
 * (a null in a mapped column, an empty text, …) is a bad record like a malformed line of a text file: under
 * {@code data.onBadRecord: fail} a {@code DataException} naming the source, the row (partition and position in it)
 * and the column; under {@code skip} it is dropped and counted into the run's {@link SkippedRecords}.
 */
public final class TableRows {

    private TableRows() {
    }

    /** Turns one row into a record, or throws {@link BadRow} naming the column at fault. */
    @FunctionalInterface
    public interface RowReader<T> extends Serializable {
        T read(Row row) throws BadRow;
    }

    /** A row that is not a record; the message names the column. */
    public static final class BadRow extends Exception {

        private static final long serialVersionUID = 1L;

        public BadRow(String message) {
            super(message, null, false, false);
        }
    }

    public static <T> JavaRDD<T> read(JavaSparkContext sc, TableSource source, Dataset<Row> rows,
                                      OnBadRecord policy, RowReader<T> reader) {
        SkippedRecords skipped = SkippedRecords.of(sc);
        String name = source.describe();
        return rows.javaRDD().mapPartitionsWithIndex((partition, it) -> {
            BadRecords bad = new BadRecords(policy);
            String where = name + " partition " + partition;
            List<T> out = new ArrayList<>();
            long row = 0;
            while (it.hasNext()) {
                Row r = it.next();
                row++;
                try {
                    out.add(reader.read(r));
                } catch (BadRow e) {
                    bad.reject(where, 0, "row " + row + ": " + e.getMessage());
                }
            }
            if (!bad.isEmpty()) {
                skipped.add(bad);
            }
            return out.iterator();
        }, true);
    }

    /** The column's value, or a {@link BadRow} when it is null. */
    public static Object required(Row row, int field, String column, String key) throws BadRow {
        if (row.isNullAt(field)) {
            throw new BadRow("column '" + column + "' (" + key + ") is null");
        }
        return row.get(field);
    }
}
