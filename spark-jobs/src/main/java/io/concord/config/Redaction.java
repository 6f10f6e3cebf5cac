package io.concord.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides secrets the way Spark does: a key matching Spark's {@code spark.redaction.regex} (default
 * {@value #DEFAULT_REGEX}) has its value shown as {@value #REPLACEMENT}. Used for printed and saved configs,
 * summaries and error messages. In a config tree only string values are redacted (secrets are strings; a key such as
 * {@code maxPromptTokens} also matches the default pattern but holds a number), and every value under
 * {@code spark.conf} of a matching key.
 */
public final class Redaction {

    /** Spark's default of {@code spark.redaction.regex}. */
    public static final String DEFAULT_REGEX = "(?i)secret|password|token|access[.]?key";
    /** Spark's replacement text ({@code Utils.REDACTION_REPLACEMENT_TEXT}). */
    public static final String REPLACEMENT = "*********(redacted)";

    private static final Pattern DEFAULT = Pattern.compile(DEFAULT_REGEX);

    private Redaction() {
    }

    public static boolean isSensitive(String key) {
        return key != null && DEFAULT.matcher(key).find();
    }

    /** {@code pattern} when given (a run's {@code spark.redaction.regex}), else the default. */
    public static Pattern pattern(String regex) {
        return regex == null || regex.isBlank() ? DEFAULT : Pattern.compile(regex);
    }

    /** A copy of {@code properties} with the values of matching keys replaced. */
    public static Map<String, String> redact(Map<String, String> properties, Pattern pattern) {
        Map<String, String> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> out.put(k, pattern.matcher(k).find() ? REPLACEMENT : v));
        return out;
    }

    /** A deep copy of {@code tree} with secrets replaced; keys are matched as full dotted paths. */
    public static JsonNode redact(JsonNode tree) {
        return redact(tree, "", DEFAULT);
    }

    public static JsonNode redact(JsonNode tree, Pattern pattern) {
        return redact(tree, "", pattern);
    }

    private static JsonNode redact(JsonNode node, String path, Pattern pattern) {
        if (node.isObject()) {
            ObjectNode out = ((ObjectNode) node).objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                JsonNode value = e.getValue();
                boolean sparkProperty = path.equals("spark.conf") || path.startsWith("spark.conf.");
                if (pattern.matcher(key).find() && (value.isTextual() || (sparkProperty && !value.isNull()))) {
                    out.set(e.getKey(), TextNode.valueOf(REPLACEMENT));
                } else {
                    out.set(e.getKey(), redact(value, key, pattern));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = ((ArrayNode) node).arrayNode();
            node.forEach(element -> out.add(redact(element, path, pattern)));
            return out;
        }
        return node;
    }
}
