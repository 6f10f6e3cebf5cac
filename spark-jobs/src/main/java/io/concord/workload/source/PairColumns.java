package io.concord.workload.source;

import io.concord.config.ConfigException;

/**
 * The column mapping of a preference-pairs table ({@code data.columns} of {@code pref-align} and {@code pref-sft}).
 *
 * @param prompt   prompt text column; default {@code prompt}. When the source has no such column and the mapping
 *                 does not name one, {@code chosen} and {@code rejected} hold whole HH-RLHF dialogues and the prompt
 *                 is their shared text up to the last {@code "\n\nAssistant:"} (as in a JSONL file of that shape)
 * @param chosen   chosen completion (or dialogue) column; default {@code chosen}
 * @param rejected rejected completion (or dialogue) column; default {@code rejected}
 * @param id       optional integer column the rows are ordered by (sharding follows record order); without it the
 *                 rows keep Spark's read order
 */
public record PairColumns(String prompt, String chosen, String rejected, String id) {

    public PairColumns {
        for (String[] kv : new String[][] {{"data.columns.prompt", prompt}, {"data.columns.chosen", chosen},
                {"data.columns.rejected", rejected}, {"data.columns.id", id}}) {
            if (kv[1] != null && kv[1].isBlank()) {
                throw new ConfigException(kv[0], kv[1], "a column name");
            }
        }
        chosen = chosen == null ? "chosen" : chosen;
        rejected = rejected == null ? "rejected" : rejected;
    }

    public static PairColumns defaults() {
        return new PairColumns(null, null, null, null);
    }
}
