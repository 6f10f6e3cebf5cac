package io.concord.data.graph;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reads plain interaction logs {@code user,item[,weight]} (CSV or TSV, with or without a header line) through Hadoop's
 * {@link FileSystem}. A directory is read as the concatenation of its visible files in name order (Spark/Hadoop
 * output: {@code part-00000, …}; names starting with {@code _} or {@code .} are skipped).
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
        FileSystem fs = path.getFileSystem(conf);
        List<Path> files = new ArrayList<>();
        FileStatus status = fs.getFileStatus(path);
        if (status.isDirectory()) {
            FileStatus[] children = fs.listStatus(path);
            Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
            for (FileStatus c : children) {
                String n = c.getPath().getName();
                if (c.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
                    files.add(c.getPath());
                }
            }
        } else {
            files.add(path);
        }
        IntList users = new IntList(1 << 16);
        IntList items = new IntList(1 << 16);
        float[][] weights = {new float[1 << 16]};
        int[] columns = {0};
        for (Path f : files) {
            readFile(fs, f, users, items, weights, columns);
        }
        float[] w = columns[0] == 3 ? Arrays.copyOf(weights[0], users.size()) : null;
        return new EdgeList(users.toArray(), items.toArray(), w);
    }

    private void readFile(FileSystem fs, Path path, IntList users, IntList items, float[][] weights, int[] columns)
            throws IOException {
        String name = path.toString();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8),
                1 << 16)) {
            String line;
            long lineNo = 0;
            char sep = 0;
            boolean first = true;
            String[] fields = new String[4];
            while ((line = in.readLine()) != null) {
                lineNo++;
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
                if (columns[0] == 0) {
                    if (n != 2 && n != 3) {
                        throw new InteractionFormatException(name, lineNo, "expected 2 or 3 fields (user"
                                + sep(sep) + "item[" + sep(sep) + "weight]), found " + n);
                    }
                    columns[0] = n;
                } else if (n != columns[0]) {
                    throw new InteractionFormatException(name, lineNo, "expected " + columns[0] + " fields like the "
                            + "first data line, found " + n);
                }
                int u = Tokens.parseId(fields[0], 0, fields[0].length());
                if (u < 0) {
                    throw new InteractionFormatException(name, lineNo,
                            Tokens.describeBadId("user", fields[0], 0, fields[0].length()));
                }
                int i = Tokens.parseId(fields[1], 0, fields[1].length());
                if (i < 0) {
                    throw new InteractionFormatException(name, lineNo,
                            Tokens.describeBadId("item", fields[1], 0, fields[1].length()));
                }
                if (n == 3) {
                    float w;
                    try {
                        w = Float.parseFloat(fields[2]);
                    } catch (NumberFormatException e) {
                        throw new InteractionFormatException(name, lineNo, "weight '" + fields[2]
                                + "' is not a number");
                    }
                    if (!Float.isFinite(w)) {
                        throw new InteractionFormatException(name, lineNo, "weight " + fields[2] + " is not finite");
                    }
                    if (weights[0].length == users.size()) {
                        weights[0] = Arrays.copyOf(weights[0], users.size() * 2);
                    }
                    weights[0][users.size()] = w;
                }
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
