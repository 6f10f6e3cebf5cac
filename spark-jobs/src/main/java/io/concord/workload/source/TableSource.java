package io.concord.workload.source;

import io.concord.config.ConfigException;
import io.concord.data.DataException;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/**
 * One Spark SQL input: files of a format ({@code spark.read().format(f).load(path)}) or a catalog table
 * ({@code spark.table(name)}), optionally filtered by a SQL predicate ({@code .where(...)}, e.g. a date partition
 * {@code ds = '2026-12-01'}, which Spark prunes to that partition's files). Nothing is read until an action runs.
 *
 * @param format  file format or {@link SqlFormat#TABLE}
 * @param name    the path (any Hadoop URI, a directory or a glob) or the table name ({@code db.table})
 * @param where   SQL filter, or null
 * @param options reader options ({@code header}, {@code sep}, … for csv); csv defaults to a header line and
 *                inferred column types
 * @param key     the config key that named the source, for messages
 */
public record TableSource(SqlFormat format, String name, String where, Map<String, String> options, String key) {

    public TableSource {
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** {@code parquet hdfs:///x where ds = '…'}: the source for messages and summaries. */
    public String describe() {
        return (format == SqlFormat.TABLE ? "table " : format.key() + " ") + name
                + (where == null ? "" : " where " + where);
    }

    public Dataset<Row> read(SparkSession spark) {
        Dataset<Row> df;
        try {
            if (format == SqlFormat.TABLE) {
                df = spark.table(name);
            } else {
                DataFrameReader reader = spark.read().format(format.key());
                if (format == SqlFormat.CSV) {
                    reader = reader.option("header", "true").option("inferSchema", "true");
                }
                df = reader.options(options).load(name);
            }
        } catch (Exception e) {
            throw notReadable(e);
        }
        if (where == null) {
            return df;
        }
        try {
            return df.where(where);
        } catch (Exception e) {
            if (e instanceof AnalysisException a) {
                throw new ConfigException("data.where", where, "a SQL filter over the columns of " + name + " ("
                        + firstLine(a) + ")");
            }
            throw e;
        }
    }

    private RuntimeException notReadable(Exception e) {
        if (!(e instanceof AnalysisException a)) {
            return e instanceof RuntimeException r ? r : new DataException(name, "cannot be read: " + e, e);
        }
        String cls = a.getErrorClass() == null ? "" : a.getErrorClass();
        if (cls.startsWith("PATH_NOT_FOUND") || cls.startsWith("TABLE_OR_VIEW_NOT_FOUND")) {
            return new DataException(name, (format == SqlFormat.TABLE ? "table" : format.key() + " path")
                    + " not found (" + key + ")");
        }
        return new DataException(name, "cannot be read as " + format.key() + ": " + firstLine(a));
    }

    static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }
}
