package io.concord.workload.source;

import io.concord.config.ConfigException;

/**
 * The column mapping of an interactions table ({@code data.columns}).
 *
 * @param user      user id column, any integer or string type; default {@code user}
 * @param item      item id column, any integer or string type; default {@code item}
 * @param weight    optional numeric weight column: checked for its type; the recommendation jobs train on the binary
 *                  graph (a repeated pair counts once, as with the text formats), so it does not change training
 * @param timestamp optional time column (numeric, date or timestamp): checked for its type, not used by training
 * @param split     optional train/test column of a single source: string {@code train}/{@code test}, or boolean
 *                  ({@code true} = test); without it a single source is split per user with {@code data.testFraction}
 */
public record InteractionColumns(String user, String item, String weight, String timestamp, String split) {

    public InteractionColumns {
        user = name("data.columns.user", user, "user");
        item = name("data.columns.item", item, "item");
        weight = name("data.columns.weight", weight, null);
        timestamp = name("data.columns.timestamp", timestamp, null);
        split = name("data.columns.split", split, null);
    }

    public static InteractionColumns defaults() {
        return new InteractionColumns(null, null, null, null, null);
    }

    private static String name(String key, String value, String fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isBlank()) {
            throw new ConfigException(key, value, "a column name");
        }
        return value;
    }
}
