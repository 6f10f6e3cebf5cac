package io.concord.data.pref;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.data.DataException;
import io.concord.data.vector.LabeledVectorCsv;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON records over any Hadoop FileSystem, in either layout: JSON lines (one object per line, blank lines
 * skipped) or one top-level JSON array of objects (detected by a leading {@code [}). A path may be a file or a
 * directory of part files. Every error names the file and the 1-based line of the record
 * ({@link DataException}).
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
        List<T> out = new ArrayList<>();
        for (Path file : LabeledVectorCsv.files(path, conf)) {
            readFile(file, conf, mapper, out);
        }
        if (out.isEmpty()) {
            throw new DataException(path.toString(), "no records found (the dataset is empty)");
        }
        return out;
    }

    private static <T> void readFile(Path file, Configuration conf, Mapper<T> mapper, List<T> out) {
        String source = file.toString();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                file.getFileSystem(conf).open(file), StandardCharsets.UTF_8))) {
            if (startsWithArray(reader)) {
                readArray(reader, source, mapper, out);
            } else {
                readLines(reader, source, mapper, out);
            }
        } catch (IOException e) {
            throw new DataException(source, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Whether the first non-whitespace character is '['; the reader is reset to the start of the file. */
    private static boolean startsWithArray(BufferedReader reader) throws IOException {
        reader.mark(PEEK_LIMIT);
        int c = reader.read();
        int read = 1;
        while (c != -1 && Character.isWhitespace(c) && read < PEEK_LIMIT - 1) {
            c = reader.read();
            read++;
        }
        reader.reset();
        return c == '[';
    }

    private static <T> void readLines(BufferedReader reader, String source, Mapper<T> mapper, List<T> out)
            throws IOException {
        long lineNo = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                throw new DataException(source, lineNo, "not valid JSON: " + e.getOriginalMessage());
            }
            out.add(apply(mapper, node, source, lineNo));
        }
    }

    private static <T> void readArray(BufferedReader reader, String source, Mapper<T> mapper, List<T> out)
            throws IOException {
        try (JsonParser parser = MAPPER.getFactory().createParser(reader)) {
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
                out.add(apply(mapper, node, source, line));
            }
        }
    }

    private static <T> T apply(Mapper<T> mapper, JsonNode node, String source, long line) {
        if (!node.isObject()) {
            throw new DataException(source, line, "expected a JSON object, got " + node.getNodeType());
        }
        try {
            return mapper.map(node);
        } catch (Bad e) {
            throw new DataException(source, line, e.getMessage());
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
