package io.concord.config;

/**
 * A bad configuration value. The message is one line naming the key, the bad value and what is allowed, e.g.
 * {@code train.batchSize: -3 is not allowed; allowed: an integer >= 0}.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, Object value, String allowed) {
        super(key + ": " + (Redaction.isSensitive(key) ? Redaction.REPLACEMENT : render(value))
                + " is not allowed; allowed: " + allowed);
        this.key = key;
    }

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }

    /**
     * A validation error of losses-core or data-loaders ({@code "key: message"}) as a config error naming that key;
     * {@code section} is blamed when the message names no key (its first word before {@code ": "} has a space).
     */
    public static ConfigException from(IllegalArgumentException e, String section) {
        if (e instanceof ConfigException ce) {
            return ce;
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int colon = message.indexOf(": ");
        if (colon > 0 && !message.substring(0, colon).contains(" ")) {
            return new ConfigException(message.substring(0, colon), message.substring(colon + 2));
        }
        return new ConfigException(section, message);
    }

    /** The message after {@code "key: "}. */
    public String detail() {
        return getMessage().substring(key.length() + 2);
    }

    private static String render(Object value) {
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        return String.valueOf(value);
    }
}
