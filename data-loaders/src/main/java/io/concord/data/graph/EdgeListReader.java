package io.concord.data.graph;

import io.concord.data.io.BadRecords;
import io.concord.data.io.InputFiles;
import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;
import io.concord.data.io.TextLines;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Reads plain interaction logs {@code user,item[,weight]} (CSV or TSV, with or without a header line) through Hadoop's
 * {@code FileSystem} ({@link InputFiles}: compressed files are decompressed). A directory is read as the
 * concatenation of its visible files in name order (Spark/Hadoop output: {@code part-00000, …}; names starting with
 * {@code _} or {@code .} are skipped).
 *
 * <p>Auto-detection, per file, on its first non-blank line: the delimiter is a tab if that line has one, else a comma;
 * the line is a header if its first field starts with a letter or a double quote ({@code user,item},
 * {@code "userId"\t"itemId"}). The number of columns (2 or 3) is fixed by the first data
 * line of the first file. Fields may be surrounded by spaces; blank lines are skipped. Every other deviation (wrong
 * column count, negative or non-integer id, non-finite weight) is an {@link InteractionFormatException} naming file and
 * line.
 */
public final class EdgeListReader {

    /** Delimiter choice. */
    public enum Delimiter { AUTO, COMMA, TAB }

    /** Header choice. */
    public enum Header { AUTO, PRESENT, ABSENT }

    private final Delimiter delimiter;
    private final Header header;

    public EdgeListReader(Delimiter delimiter, Header header) {
        this.delimiter = delimiter;
        this.header = header;
    }

    /** Auto-detects delimiter and header. */
    public static EdgeListReader auto() {
        return new EdgeListReader(Delimiter.AUTO, Header.AUTO);
    }

    public EdgeList read(Path path, Configuration conf) throws IOException {
        return read(path, conf, ReadOptions.defaults(), new BadRecords(OnBadRecord.FAIL));
    }

    /** Reads {@code path} (files may be compressed); bad lines fail or are counted by {@code bad}. */
    public EdgeList read(Path path, Configuration conf, ReadOptions options, BadRecords bad) throws IOException {
        List<Path> files = InputFiles.list(path, conf);
        IntList users = new IntList(1 << 16);
        IntList items = new IntList(1 << 16);
        float[][] weights = {new float[1 << 16]};
        int[] columns = {0};
        for (Path f : files) {
            readFile(f, conf, options, bad, users, items, weights, columns);
        }
        float[] w = columns[0] == 3 ? Arrays.copyOf(weights[0], users.size()) : null;
        return new EdgeList(users.toArray(), items.toArray(), w);
    }

    private void readFile(Path path, Configuration conf, ReadOptions options, BadRecords bad, IntList users,
                          IntList items, float[][] weights, int[] columns) throws IOException {
        try (TextLines in = InputFiles.lines(path, conf, options, bad)) {
            char sep = 0;
            boolean first = true;
            String[] fields = new String[4];
            for (String line = in.next(); line != null; line = in.next()) {
                if (line.isBlank()) {
                    continue;
                }
                if (first) {
                    sep = switch (delimiter) {
                        case COMMA -> ',';
                        case TAB -> '\t';
                        case AUTO -> line.indexOf('\t') >= 0 ? '\t' : ',';
                    };
                }
                int n = split(line, sep, fields);
                if (first) {
                    first = false;
                    boolean isHeader = switch (header) {
                        case PRESENT -> true;
                        case ABSENT -> false;
                        case AUTO -> !fields[0].isEmpty()
                                && (Character.isLetter(fields[0].charAt(0)) || fields[0].charAt(0) == '"');
                    };
                    if (isHeader) {
                        continue;
                    }
                }
                if (columns[0] == 0 && n != 2 && n != 3) {
                    AdjacencyListFormat.reject(in, bad, "expected 2 or 3 fields (user" + sep(sep) + "item["
                            + sep(sep) + "weight]), found " + n);
                    continue;
                }
                if (columns[0] != 0 && n != columns[0]) {
                    AdjacencyListFormat.reject(in, bad, "expected " + columns[0] + " fields like the first data "
                            + "line, found " + n);
                    continue;
                }
                int u = Tokens.parseId(fields[0], 0, fields[0].length());
                if (u < 0) {
                    AdjacencyListFormat.reject(in, bad, Tokens.describeBadId("user", fields[0], 0,
                            fields[0].length()));
                    continue;
                }
                int i = Tokens.parseId(fields[1], 0, fields[1].length());
                if (i < 0) {
                    AdjacencyListFormat.reject(in, bad, Tokens.describeBadId("item", fields[1], 0,
                            fields[1].length()));
                    continue;
                }
                if (n == 3) {
                    float w;
                    try {
                        w = Float.parseFloat(fields[2]);
                    } catch (NumberFormatException e) {
                        AdjacencyListFormat.reject(in, bad, "weight '" + fields[2] + "' is not a number");
                        continue;
                    }
                    if (!Float.isFinite(w)) {
                        AdjacencyListFormat.reject(in, bad, "weight " + fields[2] + " is not finite");
                        continue;
                    }
                    if (weights[0].length == users.size()) {
                        weights[0] = Arrays.copyOf(weights[0], users.size() * 2);
                    }
                    weights[0][users.size()] = w;
                }
                columns[0] = n;
                users.add(u);
                items.add(i);
            }
        }
    }

    private static String sep(char c) {
        return c == '\t' ? "<TAB>" : String.valueOf(c);
    }

    /** Splits on {@code sep} into trimmed fields; returns the field count (fields beyond 4 are counted only). */
    private static int split(String line, char sep, String[] out) {
        int count = 0;
        int start = 0;
        int n = line.length();
        while (true) {
            int end = line.indexOf(sep, start);
            int stop = end < 0 ? n : end;
            if (count < out.length) {
                out[count] = line.substring(start, stop).trim();
            }
            count++;
            if (end < 0) {
                return count;
            }
            start = end + 1;
        }
    }
}
