package io.concord.config;

import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;
import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;

import java.util.Arrays;

/**
 * The record-reading keys every file-reading {@code data:} section has, declared once ({@link #PARAMS}):
 * {@code data.maxRecordBytes} (longest accepted line, default {@value ReadOptions#DEFAULT_MAX_RECORD_BYTES} bytes =
 * 16 MiB) and {@code data.onBadRecord} ({@code fail}, the default, or {@code skip}).
 */
public final class RecordReading {

    /** The {@code data.maxRecordBytes} and {@code data.onBadRecord} keys. */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.longInt("maxRecordBytes", ReadOptions.DEFAULT_MAX_RECORD_BYTES,
                    Rule.between(1, (int) ReadOptions.MAX_RECORD_BYTES_LIMIT),
                    "longest accepted line (or record) in bytes"),
            Param.choice("onBadRecord", OnBadRecord.FAIL.configName(),
                    Arrays.stream(OnBadRecord.values()).map(OnBadRecord::configName).toList(),
                    "fail at the first malformed record (naming file and line) or skip and count it"));

    private static final String SECTION = "data";

    private RecordReading() {
    }

    public static long maxRecordBytes(Long value) {
        return PARAMS.longInt(SECTION, "maxRecordBytes", value);
    }

    public static OnBadRecord onBadRecord(OnBadRecord value) {
        return PARAMS.choice(SECTION, "onBadRecord", value, OnBadRecord.class);
    }

    public static ReadOptions options(Long maxRecordBytes, OnBadRecord onBadRecord) {
        return new ReadOptions(maxRecordBytes(maxRecordBytes), onBadRecord(onBadRecord));
    }
}
