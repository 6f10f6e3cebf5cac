package io.concord.workload.source;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The Spark SQL sources a job's {@code data.format} can name: four file formats and a catalog table. */
public enum SqlFormat {
    PARQUET, ORC, CSV, JSON, TABLE;

    /** The format of a {@code data.format} value, or null when the value names one of the text formats. */
    public static SqlFormat of(String format) {
        if (format == null) {
            return null;
        }
        for (SqlFormat f : values()) {
            if (f.key().equals(format.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        return null;
    }

    /** The Spark data source name ({@code parquet}, …) and the config value. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static String allowed() {
        return Arrays.stream(values()).map(SqlFormat::key).collect(Collectors.joining(", "));
    }
}
