package io.concord.config;

/**
 * A bad configuration value. The message is one line naming the key, the bad value and what is allowed, e.g.
 * {@code train.batchSize: -3 is not allowed; allowed: an integer >= 0}.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, Object value, String allowed) {
        super(key + ": " + render(value) + " is not allowed; allowed: " + allowed);
        this.key = key;
    }

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }

    private static String render(Object value) {
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        return String.valueOf(value);
    }
}
