package io.concord.data.graph;

import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.data.io.BadRecords;
import io.concord.data.io.InputFiles;
import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;
import io.concord.data.io.TextLines;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The LightGCN/UltraGCN split format ({@code train.txt}, {@code test.txt}): one line per user,
 * {@code user_id item_id item_id …}, read and written through Hadoop's {@link FileSystem}, so {@code file://} and
 * {@code hdfs://} behave alike.
 *
 * <p>Accepted: LF or CRLF line endings; spaces or tabs, one or more, as separators; leading/trailing blanks; a user id
 * with no items ({@code "13647 "} in Amazon-Book's test file); blank lines (skipped); users in any order and users
 * without a line (empty rows). Items within a line are sorted; a repeated item on one line counts once (the official
 * code's {@code train_mat} is binary) and is logged. Rejected with an {@link InteractionFormatException} naming file
 * and line: an id that is not a non-negative decimal integer that fits an int, and a second line for the same user.
 */
public final class AdjacencyListFormat {

    private static final Logger LOG = LoggerFactory.getLogger(AdjacencyListFormat.class);

    private AdjacencyListFormat() {
    }

    /**
     * Reads a train/test pair into one graph whose user and item counts are one more than the largest id in EITHER
     * file (the official {@code load_data}).
     */
    public static InteractionGraph readSplit(Path train, Path test, Configuration conf) throws IOException {
        return readSplit(train, test, conf, ReadOptions.defaults(), new BadRecords(OnBadRecord.FAIL));
    }

    /** {@link #readSplit(Path, Path, Configuration)} with bad lines handled by {@code bad}. */
    public static InteractionGraph readSplit(Path train, Path test, Configuration conf, ReadOptions options,
                                             BadRecords bad) throws IOException {
        Adjacency tr = read(train, conf, options, bad);
        Adjacency te = read(test, conf, options, bad);
        int users = Math.max(tr.numRows(), te.numRows());
        int items = Math.max(tr.numColumns(), te.numColumns());
        return new InteractionGraph(tr.resize(users, items), te.resize(users, items));
    }

    /**
     * Reads one file into a users × items matrix with {@code numRows = max user id + 1} and
     * {@code numColumns = max item id + 1} (0 × 0 for an empty file).
     */
    public static Adjacency read(Path path, Configuration conf) throws IOException {
        return read(path, conf, ReadOptions.defaults(), new BadRecords(OnBadRecord.FAIL));
    }

    /**
     * {@link #read(Path, Configuration)} (the file may be compressed); a bad line is an
     * {@link InteractionFormatException} in {@code fail} mode, else counted and dropped by {@code bad}.
     */
    public static Adjacency read(Path path, Configuration conf, ReadOptions options, BadRecords bad)
            throws IOException {
        String name = path.toString();
        IntList lineUsers = new IntList(1024);
        IntList lineStarts = new IntList(1024);
        IntList lineNumbers = new IntList(1024);
        IntList items = new IntList(1 << 16);
        int maxUser = -1;
        int maxItem = -1;
        long duplicates = 0;
        try (TextLines in = InputFiles.lines(path, conf, options, bad)) {
            IntList row = new IntList(256);
            lines:
            for (String line = in.next(); line != null; line = in.next()) {
                int lineNo = (int) in.lineNumber();
                int n = line.length();
                int p = skipBlanks(line, 0, n);
                if (p == n) {
                    continue;
                }
                int end = tokenEnd(line, p, n);
                int user = Tokens.parseId(line, p, end);
                if (user < 0) {
                    reject(in, bad, Tokens.describeBadId("user", line, p, end));
                    continue;
                }
                row.clear();
                p = skipBlanks(line, end, n);
                while (p < n) {
                    end = tokenEnd(line, p, n);
                    int item = Tokens.parseId(line, p, end);
                    if (item < 0) {
                        reject(in, bad, Tokens.describeBadId("item", line, p, end));
                        continue lines;
                    }
                    row.add(item);
                    p = skipBlanks(line, end, n);
                }
                lineUsers.add(user);
                lineStarts.add(items.size());
                lineNumbers.add(lineNo);
                maxUser = Math.max(maxUser, user);
                int[] r = row.array();
                Arrays.sort(r, 0, row.size());
                for (int q = 0; q < row.size(); q++) {
                    if (q > 0 && r[q] == r[q - 1]) {
                        duplicates++;
                        continue;
                    }
                    items.add(r[q]);
                    maxItem = Math.max(maxItem, r[q]);
                }
            }
        }
        lineStarts.add(items.size());
        if (duplicates > 0) {
            LOG.warn("{}: {} repeated item(s) within a user line counted once", name, duplicates);
        }
        return assemble(name, maxUser + 1, maxItem + 1, lineUsers, lineStarts, lineNumbers, items);
    }

    /** A bad line: the checked {@link InteractionFormatException} when failing, else counted by {@code bad}. */
    static void reject(TextLines in, BadRecords bad, String problem) throws InteractionFormatException {
        if (bad.policy() == OnBadRecord.FAIL) {
            throw new InteractionFormatException(in.source(), in.lineNumber(), problem);
        }
        in.reject(problem);
    }

    private static Adjacency assemble(String name, int numUsers, int numItems, IntList lineUsers, IntList lineStarts,
                                      IntList lineNumbers, IntList items) throws InteractionFormatException {
        int[] lineOf = new int[numUsers];
        Arrays.fill(lineOf, -1);
        int[] offsets = new int[numUsers + 1];
        for (int l = 0; l < lineUsers.size(); l++) {
            int u = lineUsers.get(l);
            if (lineOf[u] >= 0) {
                throw new InteractionFormatException(name, lineNumbers.get(l), "user " + u
                        + " already has a line (line " + lineNumbers.get(lineOf[u]) + ")");
            }
            lineOf[u] = l;
            offsets[u + 1] = lineStarts.get(l + 1) - lineStarts.get(l);
        }
        for (int u = 0; u < numUsers; u++) {
            offsets[u + 1] += offsets[u];
        }
        int[] columns;
        boolean inOrder = true;
        for (int l = 1; l < lineUsers.size() && inOrder; l++) {
            inOrder = lineUsers.get(l) > lineUsers.get(l - 1);
        }
        if (inOrder) {
            columns = items.toArray();
        } else {
            columns = new int[items.size()];
            int[] src = items.array();
            for (int u = 0; u < numUsers; u++) {
                int l = lineOf[u];
                if (l >= 0) {
                    System.arraycopy(src, lineStarts.get(l), columns, offsets[u], offsets[u + 1] - offsets[u]);
                }
            }
        }
        return new Adjacency(numUsers, numItems, offsets, columns);
    }

    /** Writes one line per user 0..numRows-1 ({@code "u i i i"}, LF), users without items as {@code "u"}. */
    public static void write(Adjacency rows, Path path, Configuration conf, boolean overwrite) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        try (FSDataOutputStream out = fs.create(path, overwrite);
             Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
            int[] cols = rows.columnArray();
            StringBuilder sb = new StringBuilder(256);
            for (int u = 0; u < rows.numRows(); u++) {
                sb.setLength(0);
                sb.append(u);
                for (int p = rows.rowStart(u); p < rows.rowEnd(u); p++) {
                    sb.append(' ').append(cols[p]);
                }
                sb.append('\n');
                w.append(sb);
            }
        }
    }

    private static int skipBlanks(String s, int p, int n) {
        while (p < n && isBlank(s.charAt(p))) {
            p++;
        }
        return p;
    }

    private static int tokenEnd(String s, int p, int n) {
        while (p < n && !isBlank(s.charAt(p))) {
            p++;
        }
        return p;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000B';
    }
}
