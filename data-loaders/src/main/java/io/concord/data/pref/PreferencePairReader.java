package io.concord.data.pref;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.data.io.BadRecords;
import io.concord.data.io.ReadOptions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.util.List;

/**
 * Preference pairs from JSON lines (or a JSON array) over any Hadoop FileSystem. Each record is one of:
 * <ul>
 *   <li>{@code {"prompt", "chosen", "rejected"}} (strings);</li>
 *   <li>the OpenAI DPO fine-tuning schema used by {@code orca_dpo_pairs_val/validation.jsonl}:
 *       {@code {"input": {"messages": [{role, content}…]}, "preferred_output": [{role: assistant, content}],
 *       "non_preferred_output": [{role: assistant, content}]}}; the prompt is the messages rendered by
 *       {@link ChatTemplate}, chosen/rejected the content of the last message of each output list;</li>
 *   <li>the Anthropic HH-RLHF shape {@code {"chosen", "rejected"}} of full dialogues: the prompt is the shared text
 *       up to and including the last {@code "\n\nAssistant:"} of the chosen dialogue, which the rejected dialogue
 *       must share.</li>
 * </ul>
 * Files may be compressed ({@code .jsonl.gz}, as HH-RLHF ships). A record with an empty (or blank) prompt, chosen or
 * rejected text, or with identical chosen and rejected completions, is a bad record like a malformed one: a
 * {@link io.concord.data.DataException} naming the file and line, or counted and dropped under
 * {@code data.onBadRecord: skip}.
 */
public final class PreferencePairReader {

    private static final String HH_ASSISTANT = "\n\nAssistant:";

    private PreferencePairReader() {
    }

    public static List<TextPair> read(Path path, Configuration conf) {
        return JsonRecords.read(path, conf, PreferencePairReader::parse);
    }

    /** Reads every pair under {@code path}; bad records go to {@code bad} ({@code data.onBadRecord}). */
    public static List<TextPair> read(Path path, Configuration conf, ReadOptions options, BadRecords bad) {
        return JsonRecords.read(path, conf, PreferencePairReader::parse, options, bad);
    }

    /**
     * The pair of one record's fields (a table row), checked like a JSON record: with a {@code prompt}, the three
     * texts; without one ({@code prompt} null), {@code chosen} and {@code rejected} are HH-RLHF dialogues.
     */
    public static TextPair of(String prompt, String chosen, String rejected) throws JsonRecords.Bad {
        return checked(prompt == null ? hhRlhf(chosen, rejected) : new TextPair(prompt, chosen, rejected));
    }

    static TextPair parse(JsonNode node) throws JsonRecords.Bad {
        return checked(shape(node));
    }

    /** Empty (or all-blank) fields and identical completions teach nothing: they are bad records. */
    private static TextPair checked(TextPair pair) throws JsonRecords.Bad {
        if (pair.prompt().isBlank()) {
            throw new JsonRecords.Bad("empty prompt");
        }
        if (pair.chosen().isBlank()) {
            throw new JsonRecords.Bad("empty chosen completion");
        }
        if (pair.rejected().isBlank()) {
            throw new JsonRecords.Bad("empty rejected completion");
        }
        if (pair.chosen().equals(pair.rejected())) {
            throw new JsonRecords.Bad("chosen and rejected completions are identical");
        }
        return pair;
    }

    private static TextPair shape(JsonNode node) throws JsonRecords.Bad {
        if (node.has("input") || node.has("preferred_output")) {
            return openAi(node);
        }
        if (node.has("prompt")) {
            return new TextPair(JsonRecords.text(node, "prompt"), JsonRecords.text(node, "chosen"),
                    JsonRecords.text(node, "rejected"));
        }
        if (node.has("chosen") && node.has("rejected")) {
            return hhRlhf(JsonRecords.text(node, "chosen"), JsonRecords.text(node, "rejected"));
        }
        throw new JsonRecords.Bad("not a preference pair: expected fields {prompt, chosen, rejected}, {input, "
                + "preferred_output, non_preferred_output} or {chosen, rejected}; got " + fieldNames(node));
    }

    private static TextPair openAi(JsonNode node) throws JsonRecords.Bad {
        JsonNode input = node.get("input");
        if (input == null || !input.isObject()) {
            throw new JsonRecords.Bad("missing object field 'input'");
        }
        JsonNode messages = input.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new JsonRecords.Bad("field 'input.messages' must be a non-empty array");
        }
        StringBuilder prompt = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw new JsonRecords.Bad("input.messages[" + i + "] must be an object");
            }
            prompt.append(ChatTemplate.turn(JsonRecords.text(m, "role"), JsonRecords.text(m, "content")));
        }
        prompt.append(ChatTemplate.assistantPrefix());
        return new TextPair(prompt.toString(), lastContent(node, "preferred_output"),
                lastContent(node, "non_preferred_output"));
    }

    private static String lastContent(JsonNode node, String field) throws JsonRecords.Bad {
        JsonNode list = node.get(field);
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new JsonRecords.Bad("field '" + field + "' must be a non-empty array of messages");
        }
        JsonNode last = list.get(list.size() - 1);
        if (!last.isObject()) {
            throw new JsonRecords.Bad(field + "[" + (list.size() - 1) + "] must be an object");
        }
        String role = JsonRecords.text(last, "role");
        if (!role.equals("assistant")) {
            throw new JsonRecords.Bad(field + " must end with an assistant message, got role '" + role + "'");
        }
        return JsonRecords.text(last, "content");
    }

    private static TextPair hhRlhf(String chosen, String rejected) throws JsonRecords.Bad {
        int cut = chosen.lastIndexOf(HH_ASSISTANT);
        if (cut < 0) {
            throw new JsonRecords.Bad("chosen dialogue has no '\\n\\nAssistant:' turn");
        }
        String prompt = chosen.substring(0, cut + HH_ASSISTANT.length());
        if (!rejected.startsWith(prompt)) {
            throw new JsonRecords.Bad("chosen and rejected dialogues differ before the last assistant turn");
        }
        return new TextPair(prompt, chosen.substring(prompt.length()), rejected.substring(prompt.length()));
    }

    private static String fieldNames(JsonNode node) {
        StringBuilder sb = new StringBuilder("[");
        node.fieldNames().forEachRemaining(n -> sb.append(sb.length() > 1 ? ", " : "").append(n));
        return sb.append(']').toString();
    }
}
