package io.concord.data.graph;

import java.io.IOException;

/**
 * A malformed line in an interaction file: names the file, the 1-based line number and what is wrong. The message reads
 * {@code <file>:<line>: <problem>}.
 */
public final class InteractionFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final String problem;

    public InteractionFormatException(String file, long line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    /** The file as given (a Hadoop path string, e.g. {@code hdfs://nn/data/train.txt}). */
    public String file() {
        return file;
    }

    /** 1-based line number. */
    public long line() {
        return line;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }
}
