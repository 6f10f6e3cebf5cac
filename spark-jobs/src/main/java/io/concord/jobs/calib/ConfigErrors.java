package io.concord.jobs.calib;

import io.concord.config.ConfigException;

/** Turns the {@code "key: message"} validation errors of losses-core and data-loaders into config errors. */
final class ConfigErrors {

    private ConfigErrors() {
    }

    /** {@code e} as a {@link ConfigException} naming its key, or {@code section} when the message names none. */
    static ConfigException of(IllegalArgumentException e, String section) {
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
}
