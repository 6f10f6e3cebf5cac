package io.concord.core.param;

/**
 * Validation of hyperparameters with messages that name the config key, the bad value and what is allowed.
 */
public final class Hyper {

    private Hyper() {
    }

    public static double positive(String key, double value) {
        if (!(value > 0.0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(key + ": " + value + " is not allowed; must be a finite number > 0");
        }
        return value;
    }

    public static double nonNegative(String key, double value) {
        if (!(value >= 0.0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(key + ": " + value + " is not allowed; must be a finite number >= 0");
        }
        return value;
    }

    public static int positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + ": " + value + " is not allowed; must be an integer > 0");
        }
        return value;
    }

    public static double inRange(String key, double value, double lo, double hi, boolean loInclusive,
                                 boolean hiInclusive) {
        boolean ok = (loInclusive ? value >= lo : value > lo) && (hiInclusive ? value <= hi : value < hi);
        if (!ok) {
            throw new IllegalArgumentException(key + ": " + value + " is not allowed; must be in "
                    + (loInclusive ? "[" : "(") + lo + ", " + hi + (hiInclusive ? "]" : ")"));
        }
        return value;
    }
}
