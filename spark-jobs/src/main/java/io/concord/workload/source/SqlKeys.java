package io.concord.workload.source;

import io.concord.config.ConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Spark SQL keys of a job's {@code data} section, checked together: {@code data.format}, the file path(s) or the
 * catalog table(s) it applies to, {@code data.where}, {@code data.columns} and {@code data.options}. With a text
 * format none of the Spark SQL keys may be set; with a Spark SQL file format the paths name the files, with
 * {@code table} the tables name the sources. The train source is required; a test source is optional.
 *
 * @param format    the {@code data.format} value (null = the job's text default)
 * @param pathKey   config key of the train path ({@code data.path}, {@code data.pairs}, …)
 * @param path      train path, or null
 * @param testPathKey config key of the test path, or null when the job has no test source
 * @param testPath  test path, or null
 * @param table     train catalog table ({@code data.table}), or null
 * @param testTable test catalog table ({@code data.testTable}), or null
 * @param where     SQL filter applied to every source, or null
 * @param columns   the column mapping as configured, or null
 * @param options   Spark reader options, or null
 */
public record SqlKeys(String format, String pathKey, String path, String testPathKey, String testPath, String table,
                      String testTable, String where, Object columns, Map<String, String> options) {

    /** {@code data.table} without {@code data.format} means {@code format: table}. */
    public static String formatOf(String format, String table) {
        return table != null && format == null ? SqlFormat.TABLE.key() : format;
    }

    /**
     * The Spark SQL format, or null for one of {@code textFormats} (or no format); throws a {@link ConfigException}
     * naming the key that does not fit.
     */
    public SqlFormat check(List<String> textFormats) {
        SqlFormat sql = SqlFormat.of(format);
        if (format != null && sql == null && !textFormats.contains(format)) {
            throw new ConfigException("data.format", format, String.join(", ", textFormats) + ", "
                    + SqlFormat.allowed());
        }
        if (sql == null) {
            for (Object[] kv : new Object[][] {{"data.table", table}, {"data.testTable", testTable},
                    {"data.where", where}, {"data.columns", columns}, {"data.options", options}}) {
                if (kv[1] != null) {
                    throw new ConfigException((String) kv[0], "applies to the Spark SQL sources only (data.format: "
                            + SqlFormat.allowed() + ")");
                }
            }
            return null;
        }
        boolean isTable = sql == SqlFormat.TABLE;
        if (isTable && (path != null || testPath != null)) {
            throw new ConfigException(path != null ? pathKey : testPathKey, "does not apply to data.format table "
                    + "(name the tables in data.table" + (testPathKey == null ? "" : " / data.testTable") + ")");
        }
        if (!isTable && (table != null || testTable != null)) {
            throw new ConfigException(table != null ? "data.table" : "data.testTable", "applies to data.format "
                    + "table only, not " + sql.key());
        }
        if (testTable != null && testPathKey == null) {
            throw new ConfigException("data.testTable", "is not a key of this job (it holds out a share of "
                    + "data.table)");
        }
        String train = isTable ? table : path;
        if (train == null || train.isBlank()) {
            throw new ConfigException(isTable ? "data.table" : pathKey, "is required with data.format " + sql.key());
        }
        String test = isTable ? testTable : testPath;
        if (test != null && test.isBlank()) {
            throw new ConfigException(isTable ? "data.testTable" : testPathKey, test, "a path or table name");
        }
        if (where != null && where.isBlank()) {
            throw new ConfigException("data.where", where, "a SQL filter, e.g. ds = '2026-12-01'");
        }
        return sql;
    }

    /** {@code [train]} or {@code [train, test]}; empty for a text format. */
    public List<TableSource> sources() {
        SqlFormat sql = SqlFormat.of(format);
        if (sql == null) {
            return List.of();
        }
        boolean isTable = sql == SqlFormat.TABLE;
        List<TableSource> out = new ArrayList<>();
        out.add(new TableSource(sql, isTable ? table : path, where, options, isTable ? "data.table" : pathKey));
        String test = isTable ? testTable : testPath;
        if (test != null) {
            out.add(new TableSource(sql, test, where, options, isTable ? "data.testTable" : testPathKey));
        }
        return out;
    }
}
