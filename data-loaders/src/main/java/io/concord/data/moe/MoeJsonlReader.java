package io.concord.data.moe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.core.moe.MoeExample;
import io.concord.data.io.BadRecords;
import io.concord.data.io.InputFiles;
import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;
import io.concord.data.io.TextLines;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads MoE examples from JSON Lines over any Hadoop {@link FileSystem} (a file, or every visible file of a
 * directory in name order; compressed files by extension). One object per line, blank lines skipped:
 * <pre>
 * {"features": [0.1, -2.0, …], "label": 3, "domain": "law"}     classification
 * {"text": "some text", "domain": "code"}                       next-token over UTF-8 bytes (vocabulary 256)
 * {"tokens": [17, 4, 99], "domain": "math"}                     next-token over given ids
 * </pre>
 * Exactly one of {@code features}, {@code text}, {@code tokens} per line, the same kind on every line, and the same
 * feature dimension throughout (the first good record fixes them). {@code domain} (a string or a number, compared as
 * text) is optional; it is mapped to its index in the reader's domain list and kept for analysis only. Every error
 * is a {@link io.concord.data.DataException} naming the file and line; under {@code data.onBadRecord: skip} bad
 * records are counted and dropped ({@link BadRecords}).
 */
public final class MoeJsonlReader {

    /** Vocabulary of the byte-level encoding of {@code text}. */
    public static final int BYTE_VOCAB = 256;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Integer> domainIndex = new HashMap<>();
    private final List<String> domainNames;
    private final int vocabSize;

    /**
     * @param domainNames the known domains, index = domain id (see {@link #scanDomains}); a record with another
     *                    domain is an error
     * @param vocabSize   upper bound (exclusive) for {@code tokens} ids, 0 for no check
     */
    public MoeJsonlReader(List<String> domainNames, int vocabSize) {
        this.domainNames = List.copyOf(domainNames);
        for (int i = 0; i < this.domainNames.size(); i++) {
            if (domainIndex.put(this.domainNames.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate domain name '" + this.domainNames.get(i) + "'");
            }
        }
        if (vocabSize < 0) {
            throw new IllegalArgumentException("vocabSize must be >= 0, got " + vocabSize);
        }
        this.vocabSize = vocabSize;
    }

    public List<String> domainNames() {
        return domainNames;
    }

    /** Reads every example under {@code path} (a file or a directory). */
    public List<MoeExample> read(FileSystem fs, Path path) {
        return read(fs, path, ReadOptions.defaults(), new BadRecords(OnBadRecord.FAIL));
    }

    /** Reads every example under {@code path}; bad records go to {@code bad} ({@code data.onBadRecord}). */
    public List<MoeExample> read(FileSystem fs, Path path, ReadOptions options, BadRecords bad) {
        List<MoeExample> out = new ArrayList<>();
        Shape shape = new Shape();
        for (Path file : InputFiles.list(path, fs.getConf())) {
            readFile(fs, file, out, shape, options, bad);
        }
        return out;
    }

    /** The sorted distinct {@code domain} values under {@code path}: a deterministic domain list for the reader. */
    public static List<String> scanDomains(FileSystem fs, Path path) {
        return scanDomains(fs, path, ReadOptions.defaults(), new BadRecords(OnBadRecord.FAIL));
    }

    /** {@link #scanDomains(FileSystem, Path)}; lines that are not JSON objects go to {@code bad}. */
    public static List<String> scanDomains(FileSystem fs, Path path, ReadOptions options, BadRecords bad) {
        TreeSet<String> names = new TreeSet<>();
        for (Path file : InputFiles.list(path, fs.getConf())) {
            try (TextLines lines = InputFiles.lines(file, fs.getConf(), options, bad)) {
                for (String line = lines.next(); line != null; line = lines.next()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        JsonNode domain = parse(line).get("domain");
                        if (domain != null && !domain.isNull()) {
                            names.add(domainText(domain));
                        }
                    } catch (RecordError e) {
                        lines.reject(e.getMessage());
                    }
                }
            }
        }
        return List.copyOf(names);
    }

    /** What the first record fixed: its kind, its line, and (for features) its dimension. */
    private static final class Shape {
        String kind;
        String where;
        int dim = -1;
    }

    private void readFile(FileSystem fs, Path file, List<MoeExample> out, Shape shape, ReadOptions options,
                          BadRecords bad) {
        try (TextLines lines = InputFiles.lines(file, fs.getConf(), options, bad)) {
            for (String line = lines.next(); line != null; line = lines.next()) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(record(file + ":" + lines.lineNumber(), parse(line), shape));
                } catch (RecordError e) {
                    lines.reject(e.getMessage());
                }
            }
        }
    }

    private static JsonNode parse(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new RecordError("invalid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new RecordError("expected a JSON object");
        }
        return node;
    }

    /** One record; the first good record fixes the kind (and dimension) of the rest. */
    private MoeExample record(String here, JsonNode node, Shape shape) {
        List<String> present = new ArrayList<>();
        for (String k : List.of("features", "text", "tokens")) {
            if (node.has(k) && !node.get(k).isNull()) {
                present.add(k);
            }
        }
        if (present.size() != 1) {
            throw new RecordError("expected exactly one of \"features\", \"text\", \"tokens\", found "
                    + (present.isEmpty() ? "none" : present));
        }
        String kind = present.get(0);
        if (shape.kind != null && !shape.kind.equals(kind)) {
            throw new RecordError("record has \"" + kind + "\" but the first record (" + shape.where
                    + ") has \"" + shape.kind + "\"");
        }
        int domain = domain(node.get("domain"));
        MoeExample example = switch (kind) {
            case "features" -> {
                float[] x = features(node.get("features"));
                if (shape.dim >= 0 && x.length != shape.dim) {
                    throw new RecordError("\"features\" has " + x.length + " values but the first record ("
                            + shape.where + ") has " + shape.dim);
                }
                JsonNode label = node.get("label");
                if (label == null || !label.canConvertToInt() || !label.isIntegralNumber() || label.asInt() < 0) {
                    throw new RecordError("\"features\" records need an integer \"label\" >= 0, got " + label);
                }
                yield MoeExample.features(x, label.asInt(), domain);
            }
            case "text" -> {
                JsonNode text = node.get("text");
                if (!text.isTextual()) {
                    throw new RecordError("\"text\" must be a string");
                }
                byte[] bytes = text.asText().getBytes(StandardCharsets.UTF_8);
                int[] tokens = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    tokens[i] = bytes[i] & 0xFF;
                }
                yield MoeExample.tokens(tokens, domain);
            }
            default -> MoeExample.tokens(tokens(node.get("tokens")), domain);
        };
        if (shape.kind == null) {
            shape.kind = kind;
            shape.where = here;
        }
        if (example.hasFeatures() && shape.dim < 0) {
            shape.dim = example.features().length;
        }
        return example;
    }

    private int domain(JsonNode node) {
        if (node == null || node.isNull()) {
            return MoeExample.UNKNOWN_DOMAIN;
        }
        String name = domainText(node);
        Integer index = domainIndex.get(name);
        if (index == null) {
            throw new RecordError("unknown domain '" + name + "'; known domains: " + domainNames);
        }
        return index;
    }

    private static String domainText(JsonNode node) {
        if (!node.isTextual() && !node.isIntegralNumber()) {
            throw new RecordError("\"domain\" must be a string or an integer, got " + node);
        }
        return node.asText();
    }

    private static float[] features(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw new RecordError("\"features\" must be a non-empty array of numbers");
        }
        float[] x = new float[node.size()];
        for (int i = 0; i < x.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw new RecordError("\"features\"[" + i + "] is not a finite number: " + v);
            }
            x[i] = (float) v.asDouble();
        }
        return x;
    }

    private int[] tokens(JsonNode node) {
        if (!node.isArray()) {
            throw new RecordError("\"tokens\" must be an array of integer ids");
        }
        int[] t = new int[node.size()];
        for (int i = 0; i < t.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0
                    || (vocabSize > 0 && v.asInt() >= vocabSize)) {
                throw new RecordError("\"tokens\"[" + i + "] must be an integer id in [0, "
                        + (vocabSize > 0 ? String.valueOf(vocabSize) : "2^31") + "), got " + v);
            }
            t[i] = v.asInt();
        }
        return t;
    }

    /** A problem with one record's content; the caller adds the file and line. */
    private static final class RecordError extends RuntimeException {

        private static final long serialVersionUID = 1L;

        RecordError(String message) {
            super(message, null, false, false);
        }
    }
}
