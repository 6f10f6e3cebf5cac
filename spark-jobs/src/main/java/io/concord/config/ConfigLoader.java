package io.concord.config;

import io.concord.core.param.ParamException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Arrays;
import java.util.Map;

/**
 * Loads a job's YAML config into its typed record: parse, apply {@code --set key=value} overrides (values parsed as
 * YAML scalars, so {@code train.rounds=50} is a number), bind strictly (unknown keys, wrong types and out-of-range
 * values are errors), and report any problem as one {@link ConfigException} line naming the key.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = yamlMapper();
    private static final String SPARK_CONF = "spark.conf.";

    private ConfigLoader() {
    }

    public static ObjectMapper yamlMapper() {
        JsonMapper mapper = JsonMapper.builder(new YAMLFactory()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        // "rounds: 1.5" or "rounds: '10'" must not silently become 1 or 10.
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    public static ObjectNode parse(InputStream yaml, String source) {
        try {
            JsonNode node = YAML.readTree(yaml);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("<root>", source + " must hold a YAML mapping of config keys");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new ConfigException("<file>", source + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new ConfigException("<file>", "cannot read " + source + ": " + e.getMessage());
        }
    }

    /** Applies one {@code key.path=value} override to {@code root}. */
    public static void applyOverride(ObjectNode root, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set", "'" + (Redaction.isSensitive(assignment) ? Redaction.REPLACEMENT
                    : assignment) + "' is not of the form key=value");
        }
        String key = assignment.substring(0, eq).trim();
        String raw = assignment.substring(eq + 1);
        JsonNode value;
        try {
            value = raw.isEmpty() ? JsonNodeFactory.instance.textNode("") : YAML.readTree(raw);
            if (value == null || value.isMissingNode()) {
                value = JsonNodeFactory.instance.nullNode();
            }
        } catch (JsonProcessingException e) {
            value = JsonNodeFactory.instance.textNode(raw);
        }
        String[] parts = key.split("\\.");
        if (key.startsWith(SPARK_CONF) && key.length() > SPARK_CONF.length()) {
            // Spark property names contain dots: spark.conf.spark.authenticate.secret sets one key of spark.conf.
            parts = new String[] {"spark", "conf", key.substring(SPARK_CONF.length())};
        }
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(parts[i]);
            } else if (!child.isObject()) {
                throw new ConfigException(String.join(".", List.of(parts).subList(0, i + 1)),
                        "is a value, so '" + key + "' cannot be set inside it");
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value);
    }

    /** Binds {@code tree} to {@code type}, translating every binding problem into a {@link ConfigException}. */
    public static <C> C bind(ObjectNode tree, Class<C> type) {
        try {
            return YAML.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String key = path(e, e.getPropertyName());
            String parent = path(e, null);
            throw new ConfigException(key, "unknown config key; allowed keys"
                    + (parent.isEmpty() ? "" : " in '" + parent + "'") + ": " + allowed(e.getKnownPropertyIds()));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ParamException pe) {
                throw ConfigException.from(pe, pe.key());
            }
            String key = path(e, null);
            throw new ConfigException(key.isEmpty() ? "<root>" : key,
                    cause == null ? e.getOriginalMessage() : cause.getMessage());
        } catch (InvalidFormatException e) {
            throw new ConfigException(path(e, null), e.getValue(), expected(e.getTargetType()));
        } catch (MismatchedInputException e) {
            String key = path(e, null);
            if (e.getTargetType() != null) {
                JsonNode bad = tree.at("/" + key.replace('.', '/'));
                Object shown = bad.isMissingNode() ? "this value" : bad.isValueNode() ? bad.asText()
                        : Redaction.redact(bad).toString();
                throw new ConfigException(key.isEmpty() ? "<root>" : key, shown, expected(e.getTargetType()));
            }
            throw new ConfigException(key.isEmpty() ? "<root>" : key, e.getOriginalMessage());
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ParamException pe) {
                throw ConfigException.from(pe, pe.key());
            }
            String key = path(e, null);
            throw new ConfigException(key.isEmpty() ? "<root>" : key,
                    cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigException("<root>", e.getOriginalMessage());
        }
    }

    /** The config as YAML (defaults filled in), for printing and for {@code config.effective.yaml}. */
    public static String toYaml(Object config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render config", e);
        }
    }

    public static ObjectNode toTree(Object config) {
        return YAML.valueToTree(config);
    }

    private static String path(JsonMappingException e, String leaf) {
        StringBuilder sb = new StringBuilder();
        List<JsonMappingException.Reference> refs = e.getPath();
        int end = refs.size();
        if (leaf != null && end > 0 && leaf.equals(refs.get(end - 1).getFieldName())) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            JsonMappingException.Reference ref = refs.get(i);
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        if (leaf != null) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(leaf);
        }
        return sb.toString();
    }

    private static String allowed(Collection<Object> ids) {
        return ids == null ? "(none)" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of the right type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of keys";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "a " + type.getSimpleName();
    }
}
