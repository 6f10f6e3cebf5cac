package io.concord.config;

import io.concord.core.param.Param;
import io.concord.core.param.ParamTable;

import java.util.Map;

/**
 * The {@code spark:} section: master (ignored under spark-submit, which sets it) and extra Spark properties.
 *
 * @param master Spark master URL for embedded runs; default {@code local[*]}
 * @param conf   extra Spark properties, applied over Concord's defaults
 */
public record SparkSection(String master, Map<String, String> conf) {

    /** The scalar {@code spark:} key ({@code conf} is a map of Spark's own properties). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.string("master", "local[*]", "a Spark master URL",
                    "Spark master of embedded runs (spark-submit sets its own)"));

    public SparkSection {
        master = PARAMS.string("spark", "master", master);
        conf = conf == null ? Map.of() : Map.copyOf(conf);
    }

    public static SparkSection defaults() {
        return new SparkSection(null, null);
    }
}
