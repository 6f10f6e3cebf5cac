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
                case INT -> section.integer(p.name());
                case BOOLEAN -> section.bool(p.name(), false);
                case CHOICE -> section.choice(p.name(), p.choices());
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
