package io.concord.config;

import io.concord.core.param.Checks;
import io.concord.core.param.ParamException;

/**
 * A bad configuration value. The message is one line naming the key, the bad value and what is allowed, e.g.
 * {@code train.batchSize: -3 is not allowed; must be an integer >= 0} (the format of {@link Checks}).
 */
public final class ConfigException extends ParamException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String key, Object value, String allowed) {
        this(Checks.notAllowed(key, Redaction.isSensitive(key) ? new Redacted() : value, allowed));
    }

    public ConfigException(String key, String message) {
        super(key, message);
    }

    private ConfigException(ParamException e) {
        super(e.key(), e.detail());
    }

    /**
     * A validation error of losses-core or data-loaders as a config error: a {@link ParamException} keeps its key;
     * any other error is blamed on {@code section}.
     */
    public static ConfigException from(IllegalArgumentException e, String section) {
        if (e instanceof ConfigException ce) {
            return ce;
        }
        if (e instanceof ParamException pe) {
            return new ConfigException(pe);
        }
        return new ConfigException(section, e.getMessage() == null ? e.toString() : e.getMessage());
    }

    /** Shown instead of a sensitive value (unquoted, unlike a string value). */
    private record Redacted() {
        @Override
        public String toString() {
            return Redaction.REPLACEMENT;
        }
    }
}
