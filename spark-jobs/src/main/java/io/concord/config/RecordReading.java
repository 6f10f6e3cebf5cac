package io.concord.config;

import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;

/**
 * Defaults and checks of the record-reading keys every file-reading {@code data:} section has:
 * {@code data.maxRecordBytes} (longest accepted line, default {@value ReadOptions#DEFAULT_MAX_RECORD_BYTES} bytes =
 * 16 MiB) and {@code data.onBadRecord} ({@code fail}, the default, or {@code skip}).
 */
public final class RecordReading {

    private RecordReading() {
    }

    public static long maxRecordBytes(Long value) {
        if (value == null) {
            return ReadOptions.DEFAULT_MAX_RECORD_BYTES;
        }
        if (value < 1 || value > ReadOptions.MAX_RECORD_BYTES_LIMIT) {
            throw new ConfigException("data.maxRecordBytes", value, "an integer in [1, "
                    + ReadOptions.MAX_RECORD_BYTES_LIMIT + "] (bytes)");
        }
        return value;
    }

    public static OnBadRecord onBadRecord(OnBadRecord value) {
        return value == null ? OnBadRecord.FAIL : value;
    }

    public static ReadOptions options(Long maxRecordBytes, OnBadRecord onBadRecord) {
        return new ReadOptions(maxRecordBytes(maxRecordBytes), onBadRecord(onBadRecord));
    }
}
