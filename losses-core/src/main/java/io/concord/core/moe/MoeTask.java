package io.concord.core.moe;

import java.util.Locale;

/** What the head of a {@link MoeModel} predicts. */
public enum MoeTask {
    /** One routed position per example: a feature vector, projected to the model width, classified. */
    CLASSIFICATION,
    /** One routed position per token that has a successor: the token's embedding predicts the next token. */
    NEXT_TOKEN;

    /** Parses {@code classification} or {@code next-token} (config key {@code moe.task}). */
    public static MoeTask parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (v) {
            case "classification" -> CLASSIFICATION;
            case "next-token" -> NEXT_TOKEN;
            default -> throw new IllegalArgumentException("moe.task must be 'classification' or 'next-token', got '"
                    + value + "'");
        };
    }
}
