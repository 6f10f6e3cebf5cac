package io.concord.workload.source;

import io.concord.config.ConfigException;

/**
 * The column mapping of a TOFU split table ({@code data.columns} of {@code pref-unlearn}, and of {@code pref-sft} with
 * {@code data.source: tofu}): one question–answer record per row, the columns of the HF dataset's per-split Parquet
 * files by default.
 *
 * @param question question text column; default {@code question}
 * @param answer   answer text column; default {@code answer}
 * @param id       optional integer column the rows are ordered by (the unlearning job pairs forget with retain
 *                 records by position, and sharding follows record order); without it the rows keep Spark's read
 *                 order, which is the file's row order for a single file
 */
public record TofuColumns(String question, String answer, String id) {

    public TofuColumns {
        for (String[] kv : new String[][] {{"data.columns.question", question}, {"data.columns.answer", answer},
                {"data.columns.id", id}}) {
            if (kv[1] != null && kv[1].isBlank()) {
                throw new ConfigException(kv[0], kv[1], "a column name");
            }
        }
        question = question == null ? "question" : question;
        answer = answer == null ? "answer" : answer;
    }

    public static TofuColumns defaults() {
        return new TofuColumns(null, null, null);
    }
}
