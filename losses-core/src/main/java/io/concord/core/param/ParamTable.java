package io.concord.core.param;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The declared parameters of one component (an optimizer, a model section), and the one way to read them: every
 * value is converted and checked against its declaration with errors naming the full key ({@code
 * optimizer.base.lr: -1.0 is not allowed; must be a finite number > 0}); keys that are not declared are rejected.
 *
 * <p>Three ways in: a raw map ({@link #read(String, String, Map)}, the optimizer and loss sections), a
 * {@link ConfigSection} ({@link #read(ConfigSection)}), or the fields of a typed config record bound by Jackson
 * ({@link #integer(String, String, Integer)}, {@link #longInt}, {@link #string}, {@link #choice(String, String,
 * Enum, Class)}, …: the given value or the declared default, checked). {@link Param} says which keys are declared
 * and which are not.
 */
public final class ParamTable {

    private final Map<String, Param> params = new LinkedHashMap<>();

    public ParamTable(List<Param> declared) {
        for (Param p : declared) {
            if (params.put(p.name(), p) != null) {
                throw new IllegalArgumentException("parameter " + p.name() + " declared twice");
            }
        }
    }

    public static ParamTable of(Param... declared) {
        return new ParamTable(List.of(declared));
    }

    public List<Param> params() {
        return List.copyOf(params.values());
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(params.keySet());
    }

    /**
     * Reads and checks {@code raw} (a config map; its {@code name} entry, which selects the component, is skipped).
     *
     * @param section the full key path of the map, e.g. {@code "optimizer"} or {@code "optimizer.base"}
     * @param owner   the component's name, for the unknown-key message
     */
    public Values read(String section, String owner, Map<String, ?> raw) {
        ConfigParams reader = new ConfigParams(section, owner, raw, params.keySet());
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param p : params.values()) {
            if (!reader.has(p.name())) {
                if (p.defaultValue() != null) {
                    values.put(p.name(), p.defaultValue());
                }
                continue;
            }
            Object v = switch (p.type()) {
                case REAL -> reader.getDouble(p.name(), 0);
                case INT -> reader.getInt(p.name(), 0);
                case LONG -> reader.getLong(p.name(), 0);
                case BOOLEAN -> reader.getBoolean(p.name(), false);
                case CHOICE -> reader.getChoice(p.name(), null, p.choices().toArray(new String[0]));
                case STRING -> reader.getString(p.name(), null);
                case MAP -> reader.getMap(p.name());
                case MAP_LIST -> Boolean.TRUE; // entries are read, with their own keys, by Values.mapList
            };
            if (p.valid() != null && !p.valid().test(((Number) v).doubleValue())) {
                throw Checks.notAllowed(reader.key(p.name()), v, p.rule());
            }
            values.put(p.name(), v);
        }
        return new Values(section, reader, values);
    }

    /**
     * Reads and checks the declared parameters from {@code section}, with its messages; keys that are not declared
     * are left for the caller's {@link ConfigSection#rejectUnknown} (after any reads of its own). Maps and lists of
     * maps are not read this way.
     */
    public Values read(ConfigSection section) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param p : params.values()) {
            if (!section.has(p.name())) {
                if (p.defaultValue() != null) {
                    values.put(p.name(), p.defaultValue());
                }
                continue;
            }
            Object v = switch (p.type()) {
                case REAL -> section.number(p.name());
                case INT -> {
                    double d = section.number(p.name());
                    if (d != Math.rint(d) && p.valid() != null && !p.valid().test(d)) {
                        throw Checks.notAllowed(section.key(p.name()), d, p.rule());
                    }
                    yield section.integer(p.name());
                }
                case BOOLEAN -> section.bool(p.name(), false);
                case CHOICE -> section.choice(p.name(), p.choices());
                case STRING -> section.string(p.name());
                case LONG, MAP, MAP_LIST -> throw new IllegalStateException(p.type() + " parameter " + p.name()
                        + " is read from a map section (read(section, owner, raw))");
            };
            if (p.valid() != null && !p.valid().test(((Number) v).doubleValue())) {
                throw Checks.notAllowed(section.key(p.name()), v, p.rule());
            }
            values.put(p.name(), v);
        }
        return new Values(section.prefix(), null, values);
    }

    /**
     * A field of a typed config record (a YAML section bound to a record, unset fields null): {@code given}, or the
     * declared default when it is null, checked against the declaration; errors name {@code section.name}.
     */
    public int integer(String section, String name, Integer given) {
        return ((Number) field(section, name, Param.Type.INT, given, null)).intValue();
    }

    /** As {@link #integer(String, String, Integer)}, with {@code fallback} for a default that depends on others. */
    public int integer(String section, String name, Integer given, int fallback) {
        return ((Number) field(section, name, Param.Type.INT, given, fallback)).intValue();
    }

    public double real(String section, String name, Double given) {
        return ((Number) field(section, name, Param.Type.REAL, given, null)).doubleValue();
    }

    public double real(String section, String name, Double given, double fallback) {
        return ((Number) field(section, name, Param.Type.REAL, given, fallback)).doubleValue();
    }

    /** A 64-bit integer field (a seed, a size in bytes). */
    public long longInt(String section, String name, Long given) {
        return ((Number) field(section, name, Param.Type.LONG, given, null)).longValue();
    }

    /** A string field with a declared default. */
    public String string(String section, String name, String given) {
        return (String) field(section, name, Param.Type.STRING, given, null);
    }

    public boolean bool(String section, String name, Boolean given) {
        return (Boolean) field(section, name, Param.Type.BOOLEAN, given, null);
    }

    /** A choice field, matched case-insensitively ('-' and '_' alike) and returned as declared. */
    public String choice(String section, String name, String given) {
        return (String) field(section, name, Param.Type.CHOICE, given, null);
    }

    /**
     * An enum field bound by Jackson (the enum's own parser names the allowed values): {@code given}, or the constant
     * of the declared default ({@code global-batch} is {@code GLOBAL_BATCH}).
     */
    public <E extends Enum<E>> E choice(String section, String name, E given, Class<E> type) {
        if (given != null) {
            return given;
        }
        return Enum.valueOf(type, choice(section, name, (String) null).replace('-', '_').toUpperCase(Locale.ROOT));
    }

    /**
     * {@code value} checked against the declaration of {@code name}, with errors naming {@code key}: an entry of a
     * list-valued key ({@code model.convChannels[1]}), or a record field reported under its own key.
     */
    public int integerAt(String key, String name, int value) {
        return ((Number) check(key, name, Param.Type.INT, value, null)).intValue();
    }

    public double realAt(String key, String name, double value) {
        return ((Number) check(key, name, Param.Type.REAL, value, null)).doubleValue();
    }

    /** The declaration of {@code name}. */
    public Param param(String name) {
        Param p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException("parameter " + name + " is not declared");
        }
        return p;
    }

    private Object field(String section, String name, Param.Type type, Object given, Object fallback) {
        return check(section.isEmpty() ? name : section + "." + name, name, type, given, fallback);
    }

    private Object check(String key, String name, Param.Type type, Object given, Object fallback) {
        Param p = param(name);
        if (p.type() != type) {
            throw new IllegalStateException("parameter " + name + " is declared " + p.type() + ", read as " + type);
        }
        Object v = given != null ? given : fallback != null ? fallback : p.defaultValue();
        if (v == null) {
            throw new ParamException(key, "is required");
        }
        if (type == Param.Type.CHOICE) {
            String s = v.toString().trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (String c : p.choices()) {
                if (c.toLowerCase(Locale.ROOT).replace('_', '-').equals(s)) {
                    return c;
                }
            }
            throw Checks.notAllowed(key, v.toString(), p.rule());
        }
        if (p.valid() != null && !p.valid().test(((Number) v).doubleValue())) {
            throw Checks.notAllowed(key, v, p.rule());
        }
        return v;
    }

    /** A markdown table of the declarations: parameter, default, allowed, meaning. */
    public String markdown() {
        StringBuilder b = new StringBuilder("| parameter | default | allowed | meaning |\n|---|---|---|---|\n");
        for (Param p : params.values()) {
            b.append("| `").append(p.name()).append("` | ").append(p.defaultDoc()).append(" | ")
                    .append(p.rule()).append(" | ").append(p.doc()).append(" |\n");
        }
        return b.toString();
    }

    /** The checked values of one read, by parameter name. */
    public static final class Values {

        private final String section;
        private final ConfigParams reader;
        private final Map<String, Object> values;

        private Values(String section, ConfigParams reader, Map<String, Object> values) {
            this.section = section;
            this.reader = reader;
            this.values = values;
        }

        /** The full key of a parameter ({@code optimizer.base.lr}). */
        public String key(String name) {
            return section + "." + name;
        }

        public boolean has(String name) {
            return values.containsKey(name);
        }

        public double real(String name) {
            return ((Number) require(name)).doubleValue();
        }

        public double real(String name, double fallback) {
            return has(name) ? real(name) : fallback;
        }

        public int integer(String name) {
            return ((Number) require(name)).intValue();
        }

        public long longInt(String name) {
            return ((Number) require(name)).longValue();
        }

        public boolean bool(String name) {
            return (Boolean) require(name);
        }

        public String choice(String name) {
            return (String) require(name);
        }

        /** A choice as the constant of {@code type} with the same name ('-' read as '_'). */
        public <E extends Enum<E>> E choice(String name, Class<E> type) {
            return Enum.valueOf(type, choice(name).replace('-', '_').toUpperCase(Locale.ROOT));
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> map(String name) {
            return (Map<String, Object>) values.get(name);
        }

        /** The entries of a list-of-maps parameter, each checked against {@code entryKeys}. */
        public List<ConfigParams> mapList(String name, Set<String> entryKeys) {
            return has(name) ? reader.getMapList(name, entryKeys) : new ArrayList<>();
        }

        private Object require(String name) {
            Object v = values.get(name);
            if (v == null) {
                throw new ParamException(key(name), "is required");
            }
            return v;
        }
    }
}
