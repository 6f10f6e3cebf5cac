package io.concord.workload.pref;

import io.concord.config.ConfigException;

/** Range checks for config values that name the key. */
final class Checks {

    private Checks() {
    }

    static Integer positive(String key, Integer value, int defaultValue) {
        int v = value == null ? defaultValue : value;
        if (v <= 0) {
            throw new ConfigException(key, v, "an integer > 0");
        }
        return v;
    }

    static Integer nonNegative(String key, Integer value, int defaultValue) {
        int v = value == null ? defaultValue : value;
        if (v < 0) {
            throw new ConfigException(key, v, "an integer >= 0");
        }
        return v;
    }

    static Double fraction(String key, Double value, double defaultValue) {
        double v = value == null ? defaultValue : value;
        if (!(v >= 0 && v < 1)) {
            throw new ConfigException(key, v, "a number in [0, 1)");
        }
        return v;
    }
}
