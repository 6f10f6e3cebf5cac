package io.concord.data.graph;

/** Parsing of non-negative integer ids for the readers, with messages fit for {@link InteractionFormatException}. */
final class Tokens {

    private Tokens() {
    }

    /**
     * Parses {@code s[from, to)} as a non-negative decimal int; returns -1 and leaves nothing else behind if it is not
     * one (the caller then asks {@link #describeBadId} for the message).
     */
    static int parseId(CharSequence s, int from, int to) {
        if (from >= to || to - from > 10) {
            return to - from > 10 && allDigits(s, from, to) ? -2 : -1;
        }
        long v = 0;
        for (int p = from; p < to; p++) {
            char c = s.charAt(p);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > Integer.MAX_VALUE ? -2 : (int) v;
    }

    static String describeBadId(String what, CharSequence s, int from, int to) {
        String token = s.subSequence(from, to).toString();
        if (token.startsWith("-") && token.length() > 1 && allDigits(token, 1, token.length())) {
            return what + " id " + token + " is negative";
        }
        if (allDigits(token, 0, token.length()) && !token.isEmpty()) {
            return what + " id " + token + " is larger than " + Integer.MAX_VALUE;
        }
        return what + " id '" + (token.length() > 40 ? token.substring(0, 40) + "…" : token)
                + "' is not a non-negative integer";
    }

    private static boolean allDigits(CharSequence s, int from, int to) {
        for (int p = from; p < to; p++) {
            char c = s.charAt(p);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return from < to;
    }
}
