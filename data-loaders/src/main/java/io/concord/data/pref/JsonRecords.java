package io.concord.data.pref;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.data.DataException;
import io.concord.data.io.BadRecords;
import io.concord.data.io.InputFiles;
import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;
import io.concord.data.io.TextLines;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON records over any Hadoop FileSystem, in either layout: JSON lines (one object per line, blank lines
 * skipped) or one top-level JSON array of objects (detected by a leading {@code [}). A path may be a file or a
 * directory of part files, compressed or not ({@link InputFiles}). Every error names the file and the 1-based line
 * of the record ({@link DataException}); under {@code data.onBadRecord: skip} a bad record is counted and dropped
 * ({@link BadRecords}).
 */
public final class JsonRecords {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int PEEK_LIMIT = 1 << 16;

    private JsonRecords() {
    }

    /** Maps one parsed record; throws {@link Bad} for a record-level problem (prefixed with file and line). */
    @FunctionalInterface
    public interface Mapper<T> {
        T map(JsonNode node) throws Bad;
    }

    /** A problem with one record's content. */
    public static final class Bad extends Exception {

        private static final long serialVersionUID = 1L;

        public Bad(String message) {
            super(message);
        }
    }

    public static <T> List<T> read(Path path, Configuration conf, Mapper<T> mapper) {
        return read(path, conf, mapper, ReadOptions.defaults(), new BadRecords(OnBadRecord.FAIL));
    }

    /** Reads every record under {@code path}; bad records (syntax or content) go to {@code bad}. */
    public static <T> List<T> read(Path path, Configuration conf, Mapper<T> mapper, ReadOptions options,
                                   BadRecords bad) {
        List<T> out = new ArrayList<>();
        for (Path file : InputFiles.list(path, conf)) {
            readFile(file, conf, mapper, options, bad, out);
        }
        if (out.isEmpty()) {
            throw new DataException(path.toString(), bad.isEmpty() ? "no records found (the dataset is empty)"
                    : "no good records (" + bad + ")");
        }
        return out;
    }

    private static <T> void readFile(Path file, Configuration conf, Mapper<T> mapper, ReadOptions options,
                                     BadRecords bad, List<T> out) {
        String source = file.toString();
        BufferedInputStream in;
        try {
            in = new BufferedInputStream(InputFiles.open(file, conf), 1 << 16);
        } catch (IOException e) {
            throw new DataException(source, "cannot read: " + e.getMessage(), e);
        }
        try {
            if (startsWithArray(in)) {
                try (in) {
                    readArray(in, source, mapper, bad, out);
                }
            } else {
                try (TextLines lines = new TextLines(source, in, options.maxRecordBytes(), bad)) {
                    readLines(lines, mapper, out);
                }
            }
        } catch (IOException e) {
            throw new DataException(source, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Whether the first non-whitespace byte is '['; the stream is reset to its start. */
    private static boolean startsWithArray(BufferedInputStream in) throws IOException {
        in.mark(PEEK_LIMIT);
        int c = in.read();
        int read = 1;
        while (c != -1 && (Character.isWhitespace(c) || c == 0xEF || c == 0xBB || c == 0xBF) && read < PEEK_LIMIT - 1) {
            c = in.read();
            read++;
        }
        in.reset();
        return c == '[';
    }

    private static <T> void readLines(TextLines lines, Mapper<T> mapper, List<T> out) {
        for (String line = lines.next(); line != null; line = lines.next()) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                lines.reject("not valid JSON: " + e.getOriginalMessage());
                continue;
            }
            if (!node.isObject()) {
                lines.reject("expected a JSON object, got " + node.getNodeType());
                continue;
            }
            try {
                out.add(mapper.map(node));
            } catch (Bad e) {
                lines.reject(e.getMessage());
            }
        }
    }

    /**
     * A top-level array, parsed from bytes (Jackson checks the UTF-8). A syntax error ends the file even in skip
     * mode: the parser cannot find the next record after it.
     */
    private static <T> void readArray(InputStream in, String source, Mapper<T> mapper, BadRecords bad, List<T> out)
            throws IOException {
        try (JsonParser parser = MAPPER.getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new DataException(source, 1, "expected a JSON array");
            }
            while (true) {
                JsonToken token;
                try {
                    token = parser.nextToken();
                } catch (JsonProcessingException e) {
                    throw new DataException(source, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                            "not valid JSON: " + e.getOriginalMessage());
                }
                if (token == JsonToken.END_ARRAY) {
                    break;
                }
                if (token == null) {
                    throw new DataException(source, parser.currentLocation().getLineNr(), "unterminated JSON array");
                }
                long line = parser.currentTokenLocation().getLineNr();
                JsonNode node;
                try {
                    node = MAPPER.readTree(parser);
                } catch (JsonProcessingException e) {
                    throw new DataException(source, e.getLocation() == null ? line : e.getLocation().getLineNr(),
                            "not valid JSON: " + e.getOriginalMessage());
                }
                if (!node.isObject()) {
                    bad.reject(source, line, "expected a JSON object, got " + node.getNodeType());
                    continue;
                }
                try {
                    out.add(mapper.map(node));
                } catch (Bad e) {
                    bad.reject(source, line, e.getMessage());
                }
            }
        } catch (JsonProcessingException e) {
            throw new DataException(source, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A required string field. */
    public static String text(JsonNode node, String field) throws Bad {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new Bad("missing field '" + field + "'");
        }
        if (!v.isTextual()) {
            throw new Bad("field '" + field + "' must be a string, got " + v.getNodeType());
        }
        return v.asText();
    }

    /** An optional string field (null when absent). */
    public static String optionalText(JsonNode node, String field) throws Bad {
        return node.hasNonNull(field) ? text(node, field) : null;
    }

    /** A required array of strings. */
    public static List<String> texts(JsonNode node, String field) throws Bad {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new Bad("missing field '" + field + "'");
        }
        if (!v.isArray()) {
            throw new Bad("field '" + field + "' must be an array of strings, got " + v.getNodeType());
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw new Bad("field '" + field + "'[" + i + "] must be a string, got " + v.get(i).getNodeType());
            }
            out.add(v.get(i).asText());
        }
        return out;
    }
}
