package io.concord.data.pref;

import java.util.Locale;

/**
 * The plain-text rendering of chat messages used for prompts: each turn is {@code "<Role>: <content>\n"} (role
 * capitalised), and a prompt ends with {@code "Assistant: "} so the completion follows directly. Deterministic and
 * character-level friendly; changing it changes every tokenised prompt.
 */
public final class ChatTemplate {

    private ChatTemplate() {
    }

    public static String turn(String role, String content) {
        String r = role.isEmpty() ? role : role.substring(0, 1).toUpperCase(Locale.ROOT) + role.substring(1);
        return r + ": " + content + "\n";
    }

    public static String assistantPrefix() {
        return "Assistant: ";
    }

    /** A question–answer prompt: {@code "Question: <q>\nAnswer: "}. */
    public static String question(String question) {
        return "Question: " + question + "\nAnswer: ";
    }
}
