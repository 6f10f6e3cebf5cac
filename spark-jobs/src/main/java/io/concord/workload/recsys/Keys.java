package io.concord.workload.recsys;

import io.concord.config.ConfigException;

import java.util.Map;

/** Turns the {@code "key: message"} validation errors of losses-core / data-loaders into {@link ConfigException}s. */
public final class Keys {

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
    public static ConfigException asConfig(IllegalArgumentException e, String section, String prefix) {
        ConfigException c = ConfigException.from(e, section);
        if (prefix != null && c != e && c.key().startsWith("data.")) {
            return new ConfigException(GENERATE.getOrDefault(c.key(), prefix + c.key().substring(5)), c.detail());
        }
        return c;
    }

    public static ConfigException asConfig(IllegalArgumentException e, String section) {
        return asConfig(e, section, null);
    }
}
