package io.concord.config;

import java.util.Map;

/**
 * The {@code spark:} section: master (ignored under spark-submit, which sets it) and extra Spark properties.
 *
 * @param master Spark master URL for embedded runs; default {@code local[*]}
 * @param conf   extra Spark properties, applied over Concord's defaults
 */
public record SparkSection(String master, Map<String, String> conf) {

    public SparkSection {
        master = master == null ? "local[*]" : master;
        conf = conf == null ? Map.of() : Map.copyOf(conf);
    }

    public static SparkSection defaults() {
        return new SparkSection(null, null);
    }
}
