package io.concord.data.vector;

import io.concord.core.model.LabeledVector;
import io.concord.data.DataException;
import io.concord.data.io.BadRecords;
import io.concord.data.io.InputFiles;
import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;
import io.concord.data.io.TextLines;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Classification examples as CSV over any Hadoop FileSystem: one example per line, {@code label,x1,…,xd}; an
 * optional header line starting with {@code label}; {@code #} comments and blank lines ignored. A path may be a file
 * or a directory of part files ({@link InputFiles}: hidden {@code _}/{@code .} files skipped, compressed files
 * decompressed).
 */
public final class LabeledVectorCsv {

    private LabeledVectorCsv() {
    }

    /** Parses one line; {@code source} and {@code lineNumber} only label errors. The example id is -1. */
    public static LabeledVector parseLine(String line, String source, long lineNumber, int expectedDimension) {
        return parseLine(line, source, lineNumber, expectedDimension, -1L);
    }

    /** Parses one line into an example with the given id. */
    public static LabeledVector parseLine(String line, String source, long lineNumber, int expectedDimension,
                                          long id) {
        String[] parts = line.split(",", -1);
        if (parts.length < 2) {
            throw new DataException(source, lineNumber, "expected 'label,x1,...,xd', got '" + abbreviate(line) + "'");
        }
        int label;
        try {
            label = Integer.parseInt(parts[0].trim());
        } catch (NumberFormatException e) {
            throw new DataException(source, lineNumber, "label '" + parts[0].trim() + "' is not an integer");
        }
        if (label < 0) {
            throw new DataException(source, lineNumber, "label " + label + " is negative");
        }
        float[] x = new float[parts.length - 1];
        for (int j = 1; j < parts.length; j++) {
            String token = parts[j].trim();
            try {
                x[j - 1] = Float.parseFloat(token);
            } catch (NumberFormatException e) {
                throw new DataException(source, lineNumber, "feature " + j + " '" + token + "' is not a number");
            }
            if (!Float.isFinite(x[j - 1])) {
                throw new DataException(source, lineNumber, "feature " + j + " is " + token + " (must be finite)");
            }
        }
        if (expectedDimension > 0 && x.length != expectedDimension) {
            throw new DataException(source, lineNumber, "has " + x.length + " features, expected "
                    + expectedDimension);
        }
        return new LabeledVector(x, label, id);
    }

    public static boolean isSkippable(String line) {
        String t = line.strip();
        return t.isEmpty() || t.startsWith("#") || t.regionMatches(true, 0, "label", 0, 5);
    }

    /** Bits of an example id that hold the line number; the file's ordinal in its directory is above them. */
    public static final int LINE_BITS = 40;

    /**
     * Reads every example under {@code path} on the driver (small data, tests, evaluation sets). Example ids are
     * {@code fileOrdinal << 40 | lineNumber}: stable across runs and partitionings.
     */
    public static List<LabeledVector> read(Path path, Configuration conf) {
        return read(path, conf, ReadOptions.defaults(), new BadRecords(OnBadRecord.FAIL));
    }

    /** Reads every example under {@code path} on the driver; bad records go to {@code bad}. */
    public static List<LabeledVector> read(Path path, Configuration conf, ReadOptions options, BadRecords bad) {
        List<LabeledVector> out = new ArrayList<>();
        List<Path> files = InputFiles.list(path, conf);
        for (int f = 0; f < files.size(); f++) {
            out.addAll(readFile(files.get(f), conf, f, options, bad));
        }
        if (out.isEmpty()) {
            throw new DataException(path.toString(), "no examples found (the dataset is empty)");
        }
        return out;
    }

    /** Reads one file; {@code fileOrdinal} is its index among the dataset's files (for example ids). */
    public static List<LabeledVector> readFile(Path file, Configuration conf, int fileOrdinal) {
        return readFile(file, conf, fileOrdinal, ReadOptions.defaults(), new BadRecords(OnBadRecord.FAIL));
    }

    /**
     * Reads one file (compressed or not); the first good example fixes the dimension, and a line that does not parse
     * is a bad record ({@link BadRecords#reject}).
     */
    public static List<LabeledVector> readFile(Path file, Configuration conf, int fileOrdinal, ReadOptions options,
                                               BadRecords bad) {
        List<LabeledVector> out = new ArrayList<>();
        int dimension = -1;
        try (TextLines lines = InputFiles.lines(file, conf, options, bad)) {
            for (String line = lines.next(); line != null; line = lines.next()) {
                if (isSkippable(line)) {
                    continue;
                }
                long n = lines.lineNumber();
                LabeledVector v;
                try {
                    v = parseLine(line, file.toString(), n, dimension, ((long) fileOrdinal << LINE_BITS) | n);
                } catch (DataException e) {
                    lines.reject(problem(e));
                    continue;
                }
                dimension = v.dimension();
                out.add(v);
            }
        }
        return out;
    }

    /** The message of a located {@link DataException} without its {@code file:line: } prefix. */
    private static String problem(DataException e) {
        String prefix = e.source() + (e.line() > 0 ? ":" + e.line() : "") + ": ";
        String m = e.getMessage();
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    public static void write(Path file, List<LabeledVector> examples, Configuration conf) {
        try {
            FileSystem fs = file.getFileSystem(conf);
            try (FSDataOutputStream out = fs.create(file, true);
                 BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                for (LabeledVector v : examples) {
                    w.write(Integer.toString(v.label()));
                    for (float f : v.features()) {
                        w.write(',');
                        w.write(Float.toString(f));
                    }
                    w.newLine();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + " failed", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
