package io.concord.jobs.ultragcn;

import io.concord.config.ConfigException;

import java.util.Map;

/** Turns the {@code "key: message"} validation errors of losses-core / data-loaders into {@link ConfigException}s. */
final class Keys {

    /** data-loaders' {@code SyntheticGraphSpec} names its fields {@code data.numUsers} …; the config nests them. */
    private static final Map<String, String> GENERATE = Map.of(
            "data.numUsers", "data.generate.users",
            "data.numItems", "data.generate.items",
            "data.numClusters", "data.generate.clusters");

    private Keys() {
    }

    /**
     * @param section key to blame when the message names none
     * @param prefix  prefix that replaces a leading {@code data.} for generator fields without a rename
     */
    static ConfigException asConfig(IllegalArgumentException e, String section, String prefix) {
        if (e instanceof ConfigException ce) {
            return ce;
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int colon = message.indexOf(": ");
        if (colon > 0 && !message.substring(0, colon).contains(" ")) {
            String key = message.substring(0, colon);
            if (prefix != null && key.startsWith("data.")) {
                key = GENERATE.getOrDefault(key, prefix + key.substring(5));
            }
            return new ConfigException(key, message.substring(colon + 2));
        }
        return new ConfigException(section, message);
    }

    static ConfigException asConfig(IllegalArgumentException e, String section) {
        return asConfig(e, section, null);
    }
}
