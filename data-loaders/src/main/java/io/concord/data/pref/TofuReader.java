package io.concord.data.pref;

import io.concord.core.param.ParamException;
import com.fasterxml.jackson.databind.JsonNode;
import io.concord.data.DataException;
import io.concord.data.io.BadRecords;
import io.concord.data.io.ReadOptions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.util.ArrayList;
import java.util.List;

/**
 * The TOFU unlearning benchmark's JSON splits (the local copy under {@code datasets/tofu/} is JSON lines, one
 * object per line; a top-level JSON array is accepted too). Every record needs a {@code question} and an
 * {@code answer} that are not empty or all blank (else it is a bad record, {@code data.onBadRecord}); the optional
 * evaluation fields are read when present ({@link TofuQa}).
 */
public final class TofuReader {

    private TofuReader() {
    }

    /** Reads one split file, e.g. {@code <dir>/forget05.json}. */
    public static List<TofuQa> read(Path path, Configuration conf) {
        return JsonRecords.read(path, conf, TofuReader::parse);
    }

    /** Reads every record under {@code path}; bad records go to {@code bad} ({@code data.onBadRecord}). */
    public static List<TofuQa> read(Path path, Configuration conf, ReadOptions options, BadRecords bad) {
        return JsonRecords.read(path, conf, TofuReader::parse, options, bad);
    }

    /** Reads split {@code name} (e.g. {@code retain95}, {@code forget05_perturbed}) of a TOFU folder. */
    public static List<TofuQa> split(Path directory, String name, Configuration conf) {
        return read(new Path(directory, name + ".json"), conf);
    }

    /** The forget split for {@code percent} ∈ {1, 5, 10} and its complementary retain split (forget05 ↔ retain95). */
    public static String[] forgetRetainNames(int percent) {
        if (percent != 1 && percent != 5 && percent != 10) {
            throw new ParamException("tofu.forget_percent", "" + percent + " is not allowed; one of 1, 5, 10");
        }
        return new String[] {String.format("forget%02d", percent), String.format("retain%02d", 100 - percent)};
    }

    static TofuQa parse(JsonNode node) throws JsonRecords.Bad {
        String question = nonBlank(JsonRecords.text(node, "question"), "question");
        String answer = nonBlank(JsonRecords.text(node, "answer"), "answer");
        List<String> perturbed = node.has("perturbed_answer") ? JsonRecords.texts(node, "perturbed_answer")
                : List.of();
        List<String> options = new ArrayList<>();
        for (int i = 1; node.has("option" + i); i++) {
            options.add(JsonRecords.text(node, "option" + i));
        }
        return new TofuQa(question, answer, JsonRecords.optionalText(node, "paraphrased_question"),
                JsonRecords.optionalText(node, "paraphrased_answer"), perturbed, options);
    }

    private static String nonBlank(String text, String field) throws JsonRecords.Bad {
        if (text.isBlank()) {
            throw new JsonRecords.Bad("field '" + field + "' is empty");
        }
        return text;
    }

    /** Fails unless {@code records} has exactly {@code expected} entries (guards against a truncated copy). */
    public static List<TofuQa> expectSize(List<TofuQa> records, int expected, String source) {
        if (records.size() != expected) {
            throw new DataException(source, "expected " + expected + " records, found " + records.size());
        }
        return records;
    }
}
