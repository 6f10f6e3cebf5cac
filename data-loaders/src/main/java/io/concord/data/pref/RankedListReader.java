package io.concord.data.pref;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.data.io.BadRecords;
import io.concord.data.io.ReadOptions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.util.List;

/**
 * Ranked lists {@code {"prompt": str, "responses": [str…], "scores": [number…]}} from JSON lines (or a JSON array):
 * one record per prompt, so a group is never split across partitions. Scores must be finite numbers, one per
 * response, and at least one response is required; errors name the file and line.
 */
public final class RankedListReader {

    private RankedListReader() {
    }

    public static List<TextRanked> read(Path path, Configuration conf) {
        return JsonRecords.read(path, conf, RankedListReader::parse);
    }

    /** Reads every record under {@code path}; bad records go to {@code bad} ({@code data.onBadRecord}). */
    public static List<TextRanked> read(Path path, Configuration conf, ReadOptions options, BadRecords bad) {
        return JsonRecords.read(path, conf, RankedListReader::parse, options, bad);
    }

    static TextRanked parse(JsonNode node) throws JsonRecords.Bad {
        String prompt = JsonRecords.text(node, "prompt");
        List<String> responses = JsonRecords.texts(node, "responses");
        JsonNode s = node.get("scores");
        if (s == null || !s.isArray()) {
            throw new JsonRecords.Bad("field 'scores' must be an array of numbers");
        }
        if (responses.isEmpty()) {
            throw new JsonRecords.Bad("field 'responses' is empty");
        }
        if (s.size() != responses.size()) {
            throw new JsonRecords.Bad(responses.size() + " responses but " + s.size() + " scores");
        }
        double[] scores = new double[s.size()];
        for (int i = 0; i < scores.length; i++) {
            if (!s.get(i).isNumber() || !Double.isFinite(s.get(i).asDouble())) {
                throw new JsonRecords.Bad("scores[" + i + "] must be a finite number, got " + s.get(i));
            }
            scores[i] = s.get(i).asDouble();
        }
        return new TextRanked(prompt, responses, scores);
    }
}
