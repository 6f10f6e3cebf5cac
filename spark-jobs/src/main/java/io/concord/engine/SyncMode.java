package io.concord.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How partitions' work becomes one update per round. */
public enum SyncMode {
    /** One optimizer step per round on the exact gradient of the union of every partition's minibatch. */
    GLOBAL_BATCH("global-batch"),
    /** Each partition runs k local optimizer steps; parameters (and optionally optimizer state) are averaged. */
    PARAMETER_AVERAGING("parameter-averaging");

    private final String configName;

    SyncMode(String configName) {
        this.configName = configName;
    }

    @JsonValue
    public String configName() {
        return configName;
    }

    @JsonCreator
    public static SyncMode fromConfig(String value) {
        for (SyncMode mode : values()) {
            if (mode.configName.equals(value) || mode.name().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not allowed; must be one of "
                + Arrays.stream(values()).map(SyncMode::configName).collect(Collectors.joining(", ")));
    }
}
