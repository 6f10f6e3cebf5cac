package io.concord.workload.source;

import io.concord.config.ConfigException;

/**
 * The column mapping of a token-sequence table ({@code data.columns} of {@code moe}): one sequence per row, either
 * token ids or a text.
 *
 * @param tokens token id column, an array of integers (default {@code tokens}, unless {@code text} is set)
 * @param text   a string column instead of {@code tokens}: its UTF-8 bytes are the tokens (vocabulary 256), as with
 *               JSONL {@code "text"} records
 * @param domain domain label column, string or integer (kept for analysis, never a model input); default
 *               {@code domain} when the source has that column, else the examples have no domain
 * @param id     optional integer column the rows are ordered by (so sharding, which follows record order, does not
 *               depend on file order); without it the rows keep Spark's read order
 */
public record SequenceColumns(String tokens, String text, String domain, String id) {

    public SequenceColumns {
        if (tokens != null && text != null) {
            throw new ConfigException("data.columns.text", "set either data.columns.tokens or data.columns.text, "
                    + "not both");
        }
        for (String[] kv : new String[][] {{"data.columns.tokens", tokens}, {"data.columns.text", text},
                {"data.columns.domain", domain}, {"data.columns.id", id}}) {
            if (kv[1] != null && kv[1].isBlank()) {
                throw new ConfigException(kv[0], kv[1], "a column name");
            }
        }
        tokens = text == null && tokens == null ? "tokens" : tokens;
    }

    public static SequenceColumns defaults() {
        return new SequenceColumns(null, null, null, null);
    }

    /** Whether the sequences are texts (bytes as tokens) rather than token ids. */
    public boolean isText() {
        return text != null;
    }
}
