package io.concord.data;

/**
 * Bad input data: a parse error, a missing or empty input. The message names the file and, where there is one, the
 * line (1-based) or record, e.g. {@code hdfs://nn/data/train.txt:17: item id 'x3' is not a non-negative integer}.
 */
public class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;

    public DataException(String source, long line, String message) {
        super(source + (line > 0 ? ":" + line : "") + ": " + message);
        this.source = source;
        this.line = line;
    }

    public DataException(String source, String message) {
        this(source, 0, message);
    }

    public DataException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
        this.line = 0;
    }

    public String source() {
        return source;
    }

    /** 1-based line number, or 0 when the problem is not tied to a line. */
    public long line() {
        return line;
    }
}
