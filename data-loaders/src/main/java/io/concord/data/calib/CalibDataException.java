package io.concord.data.calib;

/** Bad calibration data: the message names the file and, where there is one, the record. */
public final class CalibDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CalibDataException(String message) {
        super(message);
    }

    public CalibDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
