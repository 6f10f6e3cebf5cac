package io.concord.data.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The map between the original ids of users or items (integers or strings, as found in the data) and the dense
 * indices {@code 0..size-1} the models use. Indices follow the sorted order of the distinct original ids, so the map
 * depends only on the set of ids, never on partitioning or read order.
 *
 * <p>File format (UTF-8 text, written next to the model): a header line {@code concord-idmap 1 <long|string> <size>}
 * separated by tabs, then one original id per line in index order; string ids are written as JSON strings, so any
 * character (tabs, newlines) round-trips.
 */
public final class IdMap implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String MAGIC = "concord-idmap";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The type of the original ids. */
    public enum KeyType { LONG, STRING }

    private final KeyType type;
    private final long[] longIds;
    private final String[] stringIds;
    private transient Map<Object, Integer> index;

    private IdMap(KeyType type, long[] longIds, String[] stringIds) {
        this.type = type;
        this.longIds = longIds;
        this.stringIds = stringIds;
    }

    /** Original ids {@code 0..n-1}: the map of data whose ids are already dense. */
    public static IdMap identity(int n) {
        long[] ids = new long[n];
        Arrays.setAll(ids, i -> i);
        return new IdMap(KeyType.LONG, ids, null);
    }

    /** The dense map of the distinct integer ids given (any order, duplicates allowed). */
    public static IdMap ofLongs(long[] ids) {
        long[] sorted = ids.clone(); // a primitive sort: LongStream.distinct() boxes every id
        Arrays.sort(sorted);
        int n = 0;
        for (int k = 0; k < sorted.length; k++) {
            if (k == 0 || sorted[k] != sorted[k - 1]) {
                sorted[n++] = sorted[k];
            }
        }
        return new IdMap(KeyType.LONG, n == sorted.length ? sorted : Arrays.copyOf(sorted, n), null);
    }

    /** The dense map of the distinct string ids given (any order, duplicates allowed); sorted by UTF-16 order. */
    public static IdMap ofStrings(Collection<String> ids) {
        return new IdMap(KeyType.STRING, null, new TreeSet<>(ids).toArray(new String[0]));
    }

    public KeyType type() {
        return type;
    }

    public int size() {
        return type == KeyType.LONG ? longIds.length : stringIds.length;
    }

    /** The original id of dense index {@code i}: a {@link Long} or a {@link String}. */
    public Object original(int i) {
        return type == KeyType.LONG ? (Object) longIds[i] : stringIds[i];
    }

    public long originalLong(int i) {
        requireType(KeyType.LONG);
        return longIds[i];
    }

    public String originalString(int i) {
        requireType(KeyType.STRING);
        return stringIds[i];
    }

    /** The dense index of an integer id, or -1 when the id is not in the map. */
    public int indexOf(long id) {
        requireType(KeyType.LONG);
        int i = Arrays.binarySearch(longIds, id);
        return i >= 0 ? i : -1;
    }

    /** The dense index of a string id, or -1 when the id is not in the map. */
    public int indexOf(String id) {
        requireType(KeyType.STRING);
        if (index == null) {
            Map<Object, Integer> m = new HashMap<>(stringIds.length * 2);
            for (int i = 0; i < stringIds.length; i++) {
                m.put(stringIds[i], i);
            }
            index = m;
        }
        return index.getOrDefault(id, -1);
    }

    private void requireType(KeyType expected) {
        if (type != expected) {
            throw new IllegalStateException("id map holds " + type.name().toLowerCase() + " ids, not "
                    + expected.name().toLowerCase());
        }
    }

    public void write(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        try (FSDataOutputStream raw = fs.create(path, true);
             Writer w = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8))) {
            w.write(MAGIC + "\t1\t" + type.name().toLowerCase() + "\t" + size() + "\n");
            for (int i = 0; i < size(); i++) {
                w.write(type == KeyType.LONG ? Long.toString(longIds[i]) : JSON.writeValueAsString(stringIds[i]));
                w.write('\n');
            }
        }
    }

    public static IdMap read(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
            String header = r.readLine();
            String[] h = header == null ? new String[0] : header.split("\t");
            if (h.length != 4 || !h[0].equals(MAGIC) || !h[1].equals("1")
                    || !(h[2].equals("long") || h[2].equals("string"))) {
                throw new IOException(path + ":1: not a concord id map (expected header '" + MAGIC
                        + "<TAB>1<TAB>long|string<TAB><size>')");
            }
            int n = parseSize(path, h[3]);
            boolean longs = h[2].equals("long");
            long[] l = longs ? new long[n] : null;
            String[] s = longs ? null : new String[n];
            for (int i = 0; i < n; i++) {
                String line = r.readLine();
                if (line == null) {
                    throw new IOException(path + ":" + (i + 2) + ": id map ends after " + i + " of " + n + " ids");
                }
                try {
                    if (longs) {
                        l[i] = Long.parseLong(line);
                    } else {
                        s[i] = JSON.readValue(line, String.class);
                    }
                } catch (NumberFormatException | JsonProcessingException e) {
                    throw new IOException(path + ":" + (i + 2) + ": bad id " + abbreviate(line));
                }
            }
            return longs ? new IdMap(KeyType.LONG, l, null) : new IdMap(KeyType.STRING, null, s);
        }
    }

    private static int parseSize(Path path, String s) throws IOException {
        try {
            int n = Integer.parseInt(s);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IOException(path + ":1: bad id map size " + abbreviate(s));
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? "'" + s + "'" : "'" + s.substring(0, 40) + "…'";
    }
}
