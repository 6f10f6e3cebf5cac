package io.concord.data.pref;

import io.concord.core.param.ParamException;
import io.concord.core.lm.CharVocabulary;
import io.concord.core.pref.PreferencePair;
import io.concord.core.lm.PromptCompletion;
import io.concord.core.pref.RankedResponses;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Turns text records into token records with a {@link CharVocabulary}, truncating to fixed budgets: a prompt keeps its
 * LAST {@code maxPromptTokens} tokens (the part next to the completion), a completion its FIRST
 * {@code maxCompletionTokens}. The model appends EOS after every completion, truncated or not.
 */
public final class TextEncoder implements Serializable {

    private static final long serialVersionUID = 1L;

    private final CharVocabulary vocabulary;
    private final int maxPromptTokens;
    private final int maxCompletionTokens;

    public TextEncoder(CharVocabulary vocabulary, int maxPromptTokens, int maxCompletionTokens) {
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        if (maxPromptTokens < 0) {
            throw new ParamException("data.max_prompt_tokens", "" + maxPromptTokens + " must be >= 0");
        }
        if (maxCompletionTokens < 0) {
            throw new ParamException("data.max_completion_tokens", "" + maxCompletionTokens + " must be >= 0");
        }
        this.maxPromptTokens = maxPromptTokens;
        this.maxCompletionTokens = maxCompletionTokens;
    }

    public CharVocabulary vocabulary() {
        return vocabulary;
    }

    public int[] prompt(String text) {
        int[] ids = vocabulary.encode(text);
        return ids.length <= maxPromptTokens ? ids : Arrays.copyOfRange(ids, ids.length - maxPromptTokens, ids.length);
    }

    public int[] completion(String text) {
        int[] ids = vocabulary.encode(text);
        return ids.length <= maxCompletionTokens ? ids : Arrays.copyOf(ids, maxCompletionTokens);
    }

    public PromptCompletion encode(String prompt, String completion) {
        return new PromptCompletion(prompt(prompt), completion(completion));
    }

    public PreferencePair encode(TextPair pair) {
        return new PreferencePair(prompt(pair.prompt()), completion(pair.chosen()), completion(pair.rejected()));
    }

    public RankedResponses encode(TextRanked ranked) {
        List<String> responses = ranked.responses();
        int[][] ids = new int[responses.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = completion(responses.get(i));
        }
        return new RankedResponses(prompt(ranked.prompt()), ids, ranked.scores());
    }

    /** A TOFU record as {@code "Question: <q>\nAnswer: "} → answer ({@link ChatTemplate#question}). */
    public PromptCompletion encode(TofuQa qa) {
        return encode(ChatTemplate.question(qa.question()), qa.answer());
    }
}
