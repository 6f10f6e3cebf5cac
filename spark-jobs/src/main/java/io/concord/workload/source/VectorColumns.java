package io.concord.workload.source;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.concord.config.ConfigException;

import java.util.List;

/**
 * The column mapping of a labelled-vectors table ({@code data.columns}).
 *
 * @param features one array column of numbers (default {@code features}), or a list of numeric columns, one feature
 *                 each, in order
 * @param label    integer class label column, values {@code >= 0}; default {@code label}
 * @param id       optional integer example id column: records are ordered by it (so sharding, which follows record
 *                 order, does not depend on file order) and it keys per-example state; without it the records keep
 *                 Spark's read order and have no id
 */
public record VectorColumns(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> features,
                            String label, String id) {

    public VectorColumns {
        features = features == null || features.isEmpty() ? List.of("features") : List.copyOf(features);
        for (String f : features) {
            if (f == null || f.isBlank()) {
                throw new ConfigException("data.columns.features", features, "column names");
            }
        }
        label = label == null ? "label" : label;
        if (label.isBlank() || (id != null && id.isBlank())) {
            throw new ConfigException(label.isBlank() ? "data.columns.label" : "data.columns.id", "is blank");
        }
    }

    public static VectorColumns defaults() {
        return new VectorColumns(null, null, null);
    }
}
