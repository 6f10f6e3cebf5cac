package io.concord.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.config.Redaction;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The identity of an effective config: SHA-256 of its canonical JSON (keys sorted at every level, no whitespace),
 * computed on the redacted tree without {@code provenance} (so neither secrets nor run facts enter it; the output and
 * run id are not part of the config). {@link #forCheckpoint} additionally leaves out the keys that only steer the run
 * and may change on {@code --resume}: {@value #RUN_CONTROL}.
 */
public final class ConfigHash {

    /** Keys a resumed run may change: how long to train, how often to checkpoint, test faults, Spark settings. */
    public static final String RUN_CONTROL = "spark, train.rounds, train.checkpointEvery, train.keepCheckpoints, "
            + "train.injectFault";
    private static final List<String> RUN_CONTROL_KEYS = List.of(RUN_CONTROL.split(", "));
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The section of derived values in config.effective.yaml ({@code job.DerivedValues}). */
    public static final String DERIVED = "derived";

    private ConfigHash() {
    }

    /** The hash of an effective config tree (with or without its {@code job} and {@code provenance} fields). */
    public static String of(JsonNode effective) {
        return sha256(canonical(comparable(effective)));
    }

    /** The hash a checkpoint of this config carries: {@link #of} without the run-control keys. */
    public static String forCheckpoint(JsonNode effective) {
        ObjectNode tree = comparable(effective);
        for (String key : RUN_CONTROL_KEYS) {
            String[] parts = key.split("\\.");
            JsonNode parent = tree;
            for (int i = 0; i < parts.length - 1 && parent != null; i++) {
                parent = parent.get(parts[i]);
            }
            if (parent instanceof ObjectNode object) {
                object.remove(parts[parts.length - 1]);
            }
        }
        return sha256(canonical(tree));
    }

    /** Dotted keys whose values differ between two effective configs (sorted; provenance ignored). */
    public static List<String> differingKeys(JsonNode a, JsonNode b) {
        Map<String, JsonNode> left = new TreeMap<>();
        Map<String, JsonNode> right = new TreeMap<>();
        flatten(comparable(a), "", left);
        flatten(comparable(b), "", right);
        Set<String> keys = new TreeSet<>(left.keySet());
        keys.addAll(right.keySet());
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            JsonNode l = left.get(key);
            JsonNode r = right.get(key);
            if (l == null || r == null || !sameValue(l, r)) {
                out.add(key);
            }
        }
        return out;
    }

    /** Canonical JSON: object keys sorted at every level, compact. */
    public static String canonical(JsonNode node) {
        try {
            return JSON.writeValueAsString(sorted(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render config", e);
        }
    }

    private static ObjectNode comparable(JsonNode effective) {
        JsonNode redacted = Redaction.redact(effective);
        ObjectNode tree = redacted.isObject() ? (ObjectNode) redacted : JsonNodeFactory.instance.objectNode();
        tree.remove("provenance");
        // values the job derives from the config (rounds from epochs, ...): consequences, not inputs
        tree.remove(DERIVED);
        return tree;
    }

    /** 1 and 1.0 are the same value (a YAML round trip may change the representation). */
    private static boolean sameValue(JsonNode l, JsonNode r) {
        if (l.isNumber() && r.isNumber()) {
            return l.decimalValue().compareTo(r.decimalValue()) == 0;
        }
        return l.equals(r);
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            for (String name : names) {
                out.set(name, sorted(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> out.add(sorted(e)));
            return out;
        }
        if (node.isNumber() && !node.isIntegralNumber()) {
            // one representation per floating-point value, whichever parser produced it
            return JsonNodeFactory.instance.numberNode(node.doubleValue());
        }
        return node;
    }

    private static void flatten(JsonNode node, String prefix, Map<String, JsonNode> out) {
        if (node.isObject() && node.size() > 0) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                flatten(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out);
            }
        } else {
            out.put(prefix, node);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
