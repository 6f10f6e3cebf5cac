package io.concord.core.param;

import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * One declared parameter of a component: name, type, default, allowed values and doc, in one place. The
 * declaration is what the config reader validates against (with the full key path in the message), what the
 * allowed-keys list in "unknown parameter" errors is made of, and what the documentation tables are generated from.
 *
 * <p>What is declared: every scalar key a user may set that has a default or an allowed range, i.e. numbers,
 * booleans, seeds ({@link #longInt}), choices (string fields, and enum fields bound by Jackson, read through
 * {@link ParamTable#choice(String, String, Enum, Class)}) and strings with a fixed default ({@link #string}). A
 * rule that involves other keys ({@code model.topK <= model.experts}) is declared in words ({@link Rule#crossKey})
 * and checked by the record that owns the key, in the {@link Checks} format. What is not declared: keys without a
 * default that name data (paths, tables, SQL filters, column mappings, reader options), lists and maps whose
 * structure the record checks (their numeric entries are checked against a declaration with
 * {@link ParamTable#integerAt} / {@link ParamTable#realAt}), and nested sections, which declare their own keys.
 *
 * @param defaultValue the default; {@code null} when the parameter is required or its default depends on others
 *                     (then {@code defaultDoc} says what it is)
 * @param rule         what is allowed, in words ({@code "a finite number > 0"}); for choices, the choices
 * @param valid        the check behind {@code rule} for numbers (null for other types)
 * @param choices      the allowed strings of a choice parameter, else empty
 */
public record Param(String name, Type type, Object defaultValue, String defaultDoc, String rule, DoublePredicate valid,
                    List<String> choices, String doc) {

    /** How the value is read from the config map. */
    public enum Type { REAL, INT, LONG, BOOLEAN, CHOICE, STRING, MAP, MAP_LIST }

    public static Param real(String name, double defaultValue, Rule rule, String doc) {
        return new Param(name, Type.REAL, defaultValue, format(defaultValue), rule.text, rule.test, List.of(), doc);
    }

    /** A real whose default depends on other parameters; {@code defaultDoc} describes it. */
    public static Param real(String name, String defaultDoc, Rule rule, String doc) {
        return new Param(name, Type.REAL, null, defaultDoc, rule.text, rule.test, List.of(), doc);
    }

    public static Param integer(String name, Integer defaultValue, Rule rule, String doc) {
        return new Param(name, Type.INT, defaultValue, defaultValue == null ? "required" : defaultValue.toString(),
                rule.text, rule.test, List.of(), doc);
    }

    /** An integer whose default depends on other parameters or is "unset"; {@code defaultDoc} describes it. */
    public static Param optionalInteger(String name, String defaultDoc, Rule rule, String doc) {
        return new Param(name, Type.INT, null, defaultDoc, rule.text, rule.test, List.of(), doc);
    }

    /** A 64-bit integer with any value (a seed). */
    public static Param longInt(String name, long defaultValue, String doc) {
        return new Param(name, Type.LONG, defaultValue, Long.toString(defaultValue), "an integer", null, List.of(),
                doc);
    }

    /** A 64-bit integer in a range (a size in bytes). */
    public static Param longInt(String name, long defaultValue, Rule rule, String doc) {
        return new Param(name, Type.LONG, defaultValue, Long.toString(defaultValue), rule.text, rule.test, List.of(),
                doc);
    }

    /**
     * A string with a default ({@code spark.master}); {@code rule} says what is allowed, in words, and the owner
     * checks it where it can (a Spark storage level is checked by Spark's parser).
     */
    public static Param string(String name, String defaultValue, String rule, String doc) {
        return new Param(name, Type.STRING, defaultValue, defaultValue, rule, null, List.of(), doc);
    }

    public static Param bool(String name, boolean defaultValue, String doc) {
        return new Param(name, Type.BOOLEAN, defaultValue, Boolean.toString(defaultValue), "true or false", null,
                List.of(), doc);
    }

    public static Param choice(String name, String defaultValue, List<String> choices, String doc) {
        return new Param(name, Type.CHOICE, defaultValue, defaultValue, "one of " + String.join(", ", choices), null,
                List.copyOf(choices), doc);
    }

    public static Param map(String name, String defaultDoc, String doc) {
        return new Param(name, Type.MAP, null, defaultDoc, "a map", null, List.of(), doc);
    }

    public static Param mapList(String name, String defaultDoc, String doc) {
        return new Param(name, Type.MAP_LIST, null, defaultDoc, "a list of maps", null, List.of(), doc);
    }

    /** This parameter with another default: a job's own default for the key of a shared component. */
    public Param withDefault(Object value) {
        return new Param(name, type, value, value instanceof Double d ? format(d) : String.valueOf(value), rule,
                valid, choices, doc);
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        String s = Double.toString(v);
        return s.contains("E") ? s.replace("E", "e").replace(".0e", "e").toLowerCase(Locale.ROOT) : s;
    }

    /** An allowed range in words and as a test. */
    public record Rule(String text, DoublePredicate test) {

        public static final Rule POSITIVE = new Rule("a finite number > 0", v -> v > 0 && !Double.isInfinite(v));
        public static final Rule NON_NEGATIVE = new Rule("a finite number >= 0",
                v -> v >= 0 && !Double.isInfinite(v));
        public static final Rule FINITE = new Rule("a finite number", Double::isFinite);
        public static final Rule POSITIVE_INT = new Rule("an integer > 0", v -> v > 0);
        public static final Rule NON_NEGATIVE_INT = new Rule("an integer >= 0", v -> v >= 0);
        /** [0, 1): momentum and moment decay rates. */
        public static final Rule UNIT_OPEN = in(0, 1, true, false);
        /** (0, 1]: fractions. */
        public static final Rule FRACTION = in(0, 1, false, true);

        /** An integer {@code >= min} (the text of {@link Checks#atLeast}). */
        public static Rule atLeast(int min) {
            return new Rule("an integer >= " + min, v -> v == Math.rint(v) && v >= min);
        }

        /** An integer in {@code [min, max]} (the text of {@link Checks#inRange(String, int, int, int)}). */
        public static Rule between(int min, int max) {
            return new Rule("an integer in [" + min + ", " + max + "]",
                    v -> v == Math.rint(v) && v >= min && v <= max);
        }

        public static Rule in(double lo, double hi, boolean loInclusive, boolean hiInclusive) {
            return new Rule("in " + Checks.interval(lo, hi, loInclusive, hiInclusive),
                    v -> (loInclusive ? v >= lo : v > lo) && (hiInclusive ? v <= hi : v < hi));
        }

        /**
         * A rule that involves other keys ({@code "at least sharedTokens + domains × successors"}): shown in the
         * docs, not checked by the reader; the record that owns the key checks it, in the {@link Checks} format.
         */
        public static Rule crossKey(String text) {
            return new Rule(text, null);
        }
    }
}
