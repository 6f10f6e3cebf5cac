package io.concord.data.io;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a reader does with a malformed record ({@code data.onBadRecord}). */
public enum OnBadRecord {
    /** Stop at the first bad record with an error naming its file and line (the default). */
    FAIL("fail"),
    /** Drop the record, count it and keep the first few reasons for the log and {@code summary.json}. */
    SKIP("skip");

    private final String configName;

    OnBadRecord(String configName) {
        this.configName = configName;
    }

    @JsonValue
    public String configName() {
        return configName;
    }

    @Override
    public String toString() {
        return configName;
    }

    @JsonCreator
    public static OnBadRecord fromConfig(String value) {
        for (OnBadRecord mode : values()) {
            if (mode.configName.equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not allowed; must be one of fail, skip");
    }
}
