package io.concord.core.param;

/**
 * A bad configuration value, carrying the full key it belongs to ({@code optimizer.base.lr}) apart from the message,
 * so that callers never recover the key by parsing text. {@link #getMessage()} is {@code "<key>: <detail>"}.
 */
public class ParamException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String detail;

    public ParamException(String key, String detail) {
        super(key + ": " + detail);
        this.key = key;
        this.detail = detail;
    }

    public String key() {
        return key;
    }

    /** The message after {@code "key: "}. */
    public String detail() {
        return detail;
    }

    /** The same error for a key read inside {@code section} (a bare parameter name gets the section's path). */
    public ParamException within(String section) {
        return new ParamException(section + "." + key, detail);
    }
}
