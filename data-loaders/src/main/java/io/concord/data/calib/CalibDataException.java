package io.concord.data.calib;

import io.concord.data.DataException;

/**
 * Bad calibration data. A {@link DataException} (the CLI's "bad input" exit code), so its message is
 * {@code <file>: <problem>} and names the record where there is one, e.g.
 * {@code hdfs://nn/calib/train/part-00003.stereo: corrupt left image in record 'calib-7-812' (#12): CRC32 mismatch}.
 */
public final class CalibDataException extends DataException {

    private static final long serialVersionUID = 1L;

    public CalibDataException(Object file, String message) {
        super(String.valueOf(file), message);
    }

    /** A problem on a line of a text file of the dataset (its manifest): {@code <file>:<line>: <problem>}. */
    public CalibDataException(Object file, long line, String message) {
        super(String.valueOf(file), line, message);
    }

    public CalibDataException(Object file, String message, Throwable cause) {
        super(String.valueOf(file), message, cause);
    }
}
