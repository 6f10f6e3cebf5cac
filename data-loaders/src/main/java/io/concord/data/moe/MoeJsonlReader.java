package io.concord.data.moe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.core.moe.MoeExample;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
 * feature dimension throughout. {@code domain} (a string or a number, compared as text) is optional; it is mapped
 * to its index in the reader's domain list and kept for analysis only. Every error names the file and line.
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
    public List<MoeExample> read(FileSystem fs, Path path) throws IOException {
        List<MoeExample> out = new ArrayList<>();
        Shape shape = new Shape();
        for (Path file : files(fs, path)) {
            readFile(fs, file, out, shape);
        }
        return out;
    }

    /** The sorted distinct {@code domain} values under {@code path}: a deterministic domain list for the reader. */
    public static List<String> scanDomains(FileSystem fs, Path path) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (Path file : files(fs, path)) {
            try (BufferedReader in = open(fs, file)) {
                String line;
                int lineNo = 0;
                while ((line = in.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode domain = parse(file, lineNo, line).get("domain");
                    if (domain != null && !domain.isNull()) {
                        names.add(domainText(file, lineNo, domain));
                    }
                }
            }
        }
        return List.copyOf(names);
    }

    /** The file itself, or the visible files of a directory (names not starting with '_' or '.') in name order. */
    static List<Path> files(FileSystem fs, Path path) throws IOException {
        FileStatus status = fs.getFileStatus(path);
        if (!status.isDirectory()) {
            return List.of(status.getPath());
        }
        FileStatus[] children = fs.listStatus(path);
        Arrays.sort(children, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        List<Path> out = new ArrayList<>();
        for (FileStatus c : children) {
            String name = c.getPath().getName();
            if (c.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                out.add(c.getPath());
            }
        }
        return out;
    }

    private static BufferedReader open(FileSystem fs, Path file) throws IOException {
        InputStream raw = fs.open(file);
        CompressionCodec codec = new CompressionCodecFactory(fs.getConf()).getCodec(file);
        InputStream in = codec == null ? raw : codec.createInputStream(raw);
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** What the first record fixed: its kind, its line, and (for features) its dimension. */
    private static final class Shape {
        String kind;
        String where;
        int dim = -1;
    }

    private void readFile(FileSystem fs, Path file, List<MoeExample> out, Shape shape) throws IOException {
        try (BufferedReader in = open(fs, file)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (!line.isBlank()) {
                    out.add(record(file, lineNo, parse(file, lineNo, line), shape));
                }
            }
        }
    }

    private static JsonNode parse(Path file, int lineNo, String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw error(file, lineNo, "invalid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw error(file, lineNo, "expected a JSON object");
        }
        return node;
    }

    private MoeExample record(Path file, int lineNo, JsonNode node, Shape shape) {
        List<String> present = new ArrayList<>();
        for (String k : List.of("features", "text", "tokens")) {
            if (node.has(k) && !node.get(k).isNull()) {
                present.add(k);
            }
        }
        if (present.size() != 1) {
            throw error(file, lineNo, "expected exactly one of \"features\", \"text\", \"tokens\", found "
                    + (present.isEmpty() ? "none" : present));
        }
        String kind = present.get(0);
        String here = file + ":" + lineNo;
        if (shape.kind == null) {
            shape.kind = kind;
            shape.where = here;
        } else if (!shape.kind.equals(kind)) {
            throw error(file, lineNo, "record has \"" + kind + "\" but the first record (" + shape.where
                    + ") has \"" + shape.kind + "\"");
        }
        int domain = domain(file, lineNo, node.get("domain"));
        switch (kind) {
            case "features": {
                float[] x = features(file, lineNo, node.get("features"));
                if (shape.dim < 0) {
                    shape.dim = x.length;
                } else if (x.length != shape.dim) {
                    throw error(file, lineNo, "\"features\" has " + x.length + " values but the first record ("
                            + shape.where + ") has " + shape.dim);
                }
                JsonNode label = node.get("label");
                if (label == null || !label.canConvertToInt() || !label.isIntegralNumber() || label.asInt() < 0) {
                    throw error(file, lineNo, "\"features\" records need an integer \"label\" >= 0, got " + label);
                }
                return MoeExample.features(x, label.asInt(), domain);
            }
            case "text": {
                JsonNode text = node.get("text");
                if (!text.isTextual()) {
                    throw error(file, lineNo, "\"text\" must be a string");
                }
                byte[] bytes = text.asText().getBytes(StandardCharsets.UTF_8);
                int[] tokens = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    tokens[i] = bytes[i] & 0xFF;
                }
                return MoeExample.tokens(tokens, domain);
            }
            default:
                return MoeExample.tokens(tokens(file, lineNo, node.get("tokens")), domain);
        }
    }

    private int domain(Path file, int lineNo, JsonNode node) {
        if (node == null || node.isNull()) {
            return MoeExample.UNKNOWN_DOMAIN;
        }
        String name = domainText(file, lineNo, node);
        Integer index = domainIndex.get(name);
        if (index == null) {
            throw error(file, lineNo, "unknown domain '" + name + "'; known domains: " + domainNames);
        }
        return index;
    }

    private static String domainText(Path file, int lineNo, JsonNode node) {
        if (!node.isTextual() && !node.isIntegralNumber()) {
            throw error(file, lineNo, "\"domain\" must be a string or an integer, got " + node);
        }
        return node.asText();
    }

    private static float[] features(Path file, int lineNo, JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw error(file, lineNo, "\"features\" must be a non-empty array of numbers");
        }
        float[] x = new float[node.size()];
        for (int i = 0; i < x.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw error(file, lineNo, "\"features\"[" + i + "] is not a finite number: " + v);
            }
            x[i] = (float) v.asDouble();
        }
        return x;
    }

    private int[] tokens(Path file, int lineNo, JsonNode node) {
        if (!node.isArray()) {
            throw error(file, lineNo, "\"tokens\" must be an array of integer ids");
        }
        int[] t = new int[node.size()];
        for (int i = 0; i < t.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0
                    || (vocabSize > 0 && v.asInt() >= vocabSize)) {
                throw error(file, lineNo, "\"tokens\"[" + i + "] must be an integer id in [0, "
                        + (vocabSize > 0 ? String.valueOf(vocabSize) : "2^31") + "), got " + v);
            }
            t[i] = v.asInt();
        }
        return t;
    }

    private static IllegalArgumentException error(Path file, int lineNo, String message) {
        return new IllegalArgumentException(file + ":" + lineNo + ": " + message);
    }
}
