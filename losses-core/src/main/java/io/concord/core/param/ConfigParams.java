package io.concord.core.param;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, validated access to a YAML-derived parameter map ({@code optimizer:} or {@code loss:} section). Unknown keys
 * are rejected up front with the list of allowed keys; values are converted with errors that name the key
 * ({@code optimizer.lr: 'abc' is not a number}). A number must be a YAML number: a quoted {@code '0.01'} is a
 * string and rejected, as the typed config sections reject {@code rounds: '10'} (plain {@code 1e-4} is a number).
 */
public final class ConfigParams {

    private final String section;
    private final Map<String, Object> values;

    /**
     * @param section  the config prefix, e.g. {@code "optimizer"}
     * @param owner    the selected name, for messages (e.g. {@code "adamw"})
     * @param raw      the map from YAML (may be null; a {@code name} entry is allowed and ignored)
     * @param allowed  every key this owner accepts
     */
    public ConfigParams(String section, String owner, Map<String, ?> raw, Set<String> allowed) {
        this.section = section;
        Map<String, Object> copy = new LinkedHashMap<>();
        if (raw != null) {
            for (Map.Entry<String, ?> e : raw.entrySet()) {
                if ("name".equals(e.getKey())) {
                    continue;
                }
                if (!allowed.contains(e.getKey())) {
                    throw new ParamException(section + "." + e.getKey(), "unknown parameter for '"
                            + owner + "'; allowed: " + (allowed.isEmpty() ? "(none)"
                            : String.join(", ", new TreeSet<>(allowed))));
                }
                copy.put(e.getKey(), e.getValue());
            }
        }
        this.values = Collections.unmodifiableMap(copy);
    }

    public String key(String name) {
        return section + "." + name;
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    public double getDouble(String name, double defaultValue) {
        Object v = values.get(name);
        return v == null ? defaultValue : toDouble(name, v);
    }

    public double requireDouble(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new ParamException(key(name), "is required");
        }
        return toDouble(name, v);
    }

    public int getInt(String name, int defaultValue) {
        Object v = values.get(name);
        return v == null ? defaultValue : toInt(name, v);
    }

    public int requireInt(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new ParamException(key(name), "is required");
        }
        return toInt(name, v);
    }

    public Integer getIntOrNull(String name) {
        Object v = values.get(name);
        return v == null ? null : toInt(name, v);
    }

    public long getLong(String name, long defaultValue) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        throw new ParamException(key(name), "'" + v + "' is not an integer"
                + (v instanceof String ? " (a quoted string; write the number without quotes)" : ""));
    }

    /** A string (any scalar, as written). */
    public String getString(String name, String defaultValue) {
        Object v = values.get(name);
        return v == null ? defaultValue : v.toString();
    }

    public boolean getBoolean(String name, boolean defaultValue) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new ParamException(key(name), "'" + v + "' is not a boolean (true or false)");
    }

    /** A string among {@code allowed} (case-insensitive, '-' and '_' interchangeable); returned as listed. */
    public String getChoice(String name, String defaultValue, String... allowed) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        String given = normalise(v.toString());
        for (String a : allowed) {
            if (normalise(a).equals(given)) {
                return a;
            }
        }
        throw new ParamException(key(name), "'" + v + "' is not allowed; must be one of "
                + String.join(", ", allowed));
    }

    /** A nested map (e.g. {@code optimizer.base}). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map)) {
            throw new ParamException(key(name), "expected a map, got '" + v + "'");
        }
        return (Map<String, Object>) v;
    }

    /** A list of maps (e.g. {@code optimizer.matrices}), each entry's keys checked against {@code entryKeys}. */
    @SuppressWarnings("unchecked")
    public List<ConfigParams> getMapList(String name, Set<String> entryKeys) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new ParamException(key(name), "expected a list, got '" + v + "'");
        }
        List<ConfigParams> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object e = list.get(i);
            if (!(e instanceof Map)) {
                throw new ParamException(key(name) + "[" + i + "]", "expected a map, got '" + e + "'");
            }
            out.add(new ConfigParams(key(name) + "[" + i + "]", name, (Map<String, ?>) e, entryKeys));
        }
        return out;
    }

    private double toDouble(String name, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new ParamException(key(name), "'" + v + "' is not a number"
                + (v instanceof String ? " (a quoted string; write the number without quotes)" : ""));
    }

    private int toInt(String name, Object v) {
        double d = toDouble(name, v);
        if (d != Math.rint(d) || d > Integer.MAX_VALUE || d < Integer.MIN_VALUE) {
            throw new ParamException(key(name), "" + v + " is not an integer");
        }
        return (int) d;
    }

    private static String normalise(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
