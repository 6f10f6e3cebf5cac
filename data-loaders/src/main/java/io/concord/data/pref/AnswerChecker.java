package io.concord.data.pref;

import java.util.OptionalLong;

/**
 * Extracts the final answer from a response: the integer after the LAST {@code "Answer:"} (optional spaces, an
 * optional minus sign, then digits). Anything else — no marker, no digits, an overflowing number — has no answer and
 * is therefore wrong.
 */
public final class AnswerChecker {

    public static final String MARKER = "Answer:";

    private AnswerChecker() {
    }

    public static OptionalLong extract(String response) {
        int at = response.lastIndexOf(MARKER);
        if (at < 0) {
            return OptionalLong.empty();
        }
        int i = at + MARKER.length();
        while (i < response.length() && response.charAt(i) == ' ') {
            i++;
        }
        int start = i;
        if (i < response.length() && response.charAt(i) == '-') {
            i++;
        }
        int digits = i;
        while (i < response.length() && Character.isDigit(response.charAt(i)) && response.charAt(i) < 128) {
            i++;
        }
        if (i == digits) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(response.substring(start, i)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
