package io.concord.data.io;

import java.io.Serializable;

/**
 * How text records are read: the longest line (one record) accepted, in bytes after decompression, and what to do
 * with a bad record.
 *
 * @param maxRecordBytes longest accepted line in bytes ({@code data.maxRecordBytes}); a longer one is a bad record,
 *                       found without buffering it whole
 * @param onBadRecord    fail at the first bad record, or skip and count them
 */
public record ReadOptions(long maxRecordBytes, OnBadRecord onBadRecord) implements Serializable {

    /** Default {@code data.maxRecordBytes}: 16 MiB. */
    public static final long DEFAULT_MAX_RECORD_BYTES = 16L << 20;
    /** Upper bound of {@code data.maxRecordBytes}: a line must fit one Java array. */
    public static final long MAX_RECORD_BYTES_LIMIT = Integer.MAX_VALUE - 16;

    public ReadOptions {
        if (maxRecordBytes < 1 || maxRecordBytes > MAX_RECORD_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxRecordBytes must be in [1, " + MAX_RECORD_BYTES_LIMIT + "], got "
                    + maxRecordBytes);
        }
        if (onBadRecord == null) {
            throw new IllegalArgumentException("onBadRecord is required");
        }
    }

    /** 16 MiB lines, fail on the first bad record. */
    public static ReadOptions defaults() {
        return new ReadOptions(DEFAULT_MAX_RECORD_BYTES, OnBadRecord.FAIL);
    }

    public boolean skip() {
        return onBadRecord == OnBadRecord.SKIP;
    }
}
