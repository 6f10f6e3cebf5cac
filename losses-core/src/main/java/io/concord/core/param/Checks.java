package io.concord.core.param;

/**
 * Range checks for configuration values, all with one message format:
 * {@code <key>: <value> is not allowed; must be <rule>}. Each returns the value it accepted.
 */
public final class Checks {

    private Checks() {
    }

    public static double positive(String key, double value) {
        return check(key, value, value > 0.0 && !Double.isInfinite(value), "a finite number > 0");
    }

    public static double nonNegative(String key, double value) {
        return check(key, value, value >= 0.0 && !Double.isInfinite(value), "a finite number >= 0");
    }

    public static int positive(String key, int value) {
        return atLeast(key, value, 1);
    }

    public static int nonNegative(String key, int value) {
        return atLeast(key, value, 0);
    }

    public static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw notAllowed(key, value, "an integer >= " + min);
        }
        return value;
    }

    public static int inRange(String key, int value, int min, int max) {
        if (max == Integer.MAX_VALUE) {
            return atLeast(key, value, min);
        }
        if (value < min || value > max) {
            throw notAllowed(key, value, "an integer in [" + min + ", " + max + "]");
        }
        return value;
    }

    /** {@code value}, or {@code defaultValue} when absent (a config record's unset field), checked to be > 0. */
    public static int positive(String key, Integer value, int defaultValue) {
        return atLeast(key, value == null ? defaultValue : value, 1);
    }

    public static int nonNegative(String key, Integer value, int defaultValue) {
        return atLeast(key, value == null ? defaultValue : value, 0);
    }

    public static int atLeast(String key, Integer value, int defaultValue, int min) {
        return atLeast(key, value == null ? defaultValue : value, min);
    }

    public static int inRange(String key, Integer value, int defaultValue, int min, int max) {
        return inRange(key, value == null ? defaultValue : value, min, max);
    }

    public static double nonNegative(String key, Double value, double defaultValue) {
        return nonNegative(key, value == null ? defaultValue : value);
    }

    /** A fraction in [0, 1). */
    public static double fraction(String key, Double value, double defaultValue) {
        return inRange(key, value == null ? defaultValue : value, 0.0, 1.0, true, false);
    }

    public static double inRange(String key, double value, double lo, double hi, boolean loInclusive,
                                 boolean hiInclusive) {
        boolean ok = (loInclusive ? value >= lo : value > lo) && (hiInclusive ? value <= hi : value < hi);
        return check(key, value, ok, "in " + interval(lo, hi, loInclusive, hiInclusive));
    }

    /**
     * A range given as two keys, {@code <key>Min} and {@code <key>Max}: each in {@code [lo, hi]}, and min <= max.
     */
    public static void minMax(String key, double min, double max, double lo, double hi) {
        inRange(key + "Min", min, lo, hi, true, true);
        inRange(key + "Max", max, lo, hi, true, true);
        if (min > max) {
            throw notAllowed(key + "Min", min, "<= " + key + "Max (" + max + ")");
        }
    }

    public static String interval(double lo, double hi, boolean loInclusive, boolean hiInclusive) {
        return (loInclusive ? "[" : "(") + lo + ", " + hi + (hiInclusive ? "]" : ")");
    }

    /** The one message format for a rejected value; strings are quoted. */
    public static ParamException notAllowed(String key, Object value, String rule) {
        String shown = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
        return new ParamException(key, shown + " is not allowed; must be " + rule);
    }

    private static double check(String key, double value, boolean ok, String rule) {
        if (!ok) {
            throw notAllowed(key, value, rule);
        }
        return value;
    }
}
