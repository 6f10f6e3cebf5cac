package io.concord.core.param;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads from one config section (a map of key to value as parsed from YAML/JSON or the command line), with error
 * messages that name the full key ({@code prefix.key}). Every read marks the key as known; {@link #rejectUnknown}
 * then reports keys that no read asked for, which catches typos such as {@code loss.bta}. Numbers and booleans must
 * be YAML numbers and booleans: a quoted {@code '0.1'} or {@code 'true'} is a string and rejected.
 */
public final class ConfigSection {

    private final String prefix;
    private final Map<String, ?> values;
    private final Set<String> known = new TreeSet<>();

    public ConfigSection(String prefix, Map<String, ?> values) {
        this.prefix = prefix;
        this.values = values;
    }

    /** The section's full key path ({@code loss}, {@code train.loss}). */
    public String prefix() {
        return prefix;
    }

    public String key(String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    public boolean has(String name) {
        known.add(name);
        return values.get(name) != null;
    }

    public String string(String name) {
        known.add(name);
        Object v = values.get(name);
        if (v == null) {
            throw new ParamException(key(name), "required");
        }
        return v.toString().trim();
    }

    public String string(String name, String fallback) {
        return has(name) ? string(name) : fallback;
    }

    public double number(String name, double fallback) {
        if (!has(name)) {
            return fallback;
        }
        return number(name);
    }

    public double number(String name) {
        known.add(name);
        Object v = values.get(name);
        if (v == null) {
            throw new ParamException(key(name), "required");
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new ParamException(key(name), "'" + v + "' is not a number"
                + (v instanceof String ? " (a quoted string; write the number without quotes)" : ""));
    }

    public int integer(String name) {
        double v = number(name);
        if (v != Math.rint(v) || v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new ParamException(key(name), "" + values.get(name) + " is not an integer");
        }
        return (int) v;
    }

    public int integer(String name, int fallback) {
        return has(name) ? integer(name) : fallback;
    }

    public boolean bool(String name, boolean fallback) {
        if (!has(name)) {
            return fallback;
        }
        Object v = values.get(name);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new ParamException(key(name), "'" + v + "' is not a boolean (true or false)");
    }

    /** Reads an enum constant by case-insensitive name; the error lists the allowed names. */
    public <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
        if (!has(name)) {
            return fallback;
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT));
        }
        return Enum.valueOf(type, choice(name, allowed).toUpperCase(Locale.ROOT));
    }

    /** One of {@code allowed} (case-insensitive), returned as listed; the error lists the allowed names. */
    public String choice(String name, List<String> allowed) {
        String s = string(name);
        for (String a : allowed) {
            if (a.equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw new ParamException(key(name), "'" + s + "' is not allowed; one of " + new TreeSet<>(allowed));
    }

    /** Fails on the first key present in the section that no read asked for. */
    public void rejectUnknown(String context) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new ParamException(key(first), "unknown key for " + context + "; known keys: " + known);
        }
    }
}
