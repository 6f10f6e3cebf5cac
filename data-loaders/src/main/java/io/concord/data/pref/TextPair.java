package io.concord.data.pref;

import java.io.Serializable;
import java.util.Objects;

/** An untokenised preference pair: prompt, chosen and rejected completion. */
public final class TextPair implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String prompt;
    private final String chosen;
    private final String rejected;

    public TextPair(String prompt, String chosen, String rejected) {
        this.prompt = Objects.requireNonNull(prompt, "prompt");
        this.chosen = Objects.requireNonNull(chosen, "chosen");
        this.rejected = Objects.requireNonNull(rejected, "rejected");
    }

    public String prompt() {
        return prompt;
    }

    public String chosen() {
        return chosen;
    }

    public String rejected() {
        return rejected;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextPair other && prompt.equals(other.prompt) && chosen.equals(other.chosen)
                && rejected.equals(other.rejected);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prompt, chosen, rejected);
    }

    @Override
    public String toString() {
        return "TextPair{prompt=" + prompt.length() + ", chosen=" + chosen.length() + ", rejected="
                + rejected.length() + " chars}";
    }
}
