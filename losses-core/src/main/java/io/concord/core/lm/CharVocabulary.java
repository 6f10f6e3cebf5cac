package io.concord.core.lm;

import java.util.Locale;
import io.concord.core.param.ParamException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deterministic character-level tokenizer: one id per Unicode code point, plus three special ids {@link #BOS},
 * {@link #EOS} and {@link #UNK}. Building from a corpus orders characters by descending count, ties by code point, so
 * the same corpus always gives the same ids.
 *
 * <p>Saved format (UTF-8 text, one entry per line, so no character needs escaping): the header
 * {@value #HEADER}, then one code point per line in id order as upper-case hexadecimal (e.g. {@code 41} for 'A').
 */
public final class CharVocabulary implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final int BOS = 0;
    public static final int EOS = 1;
    public static final int UNK = 2;
    public static final int SPECIALS = 3;
    public static final String HEADER = "concord-char-vocabulary v1";

    private final int[] codePoints;
    private transient Map<Integer, Integer> ids;

    private CharVocabulary(int[] codePoints) {
        this.codePoints = codePoints;
        Map<Integer, Integer> check = index(codePoints);
        if (check.size() != codePoints.length) {
            throw new IllegalArgumentException("vocabulary lists a character twice");
        }
    }

    /** A vocabulary of exactly these characters, in this order. */
    public static CharVocabulary of(int... codePoints) {
        return new CharVocabulary(codePoints.clone());
    }

    /**
     * Characters of {@code texts} seen at least {@code minCount} times, the {@code maxCharacters} most frequent kept
     * (descending count, ties by code point).
     */
    public static CharVocabulary build(Iterable<String> texts, int maxCharacters, int minCount) {
        if (maxCharacters <= 0) {
            throw new ParamException("tokenizer.max_characters", "" + maxCharacters + " must be > 0");
        }
        Map<Integer, Long> counts = new TreeMap<>();
        for (String t : texts) {
            t.codePoints().forEach(cp -> counts.merge(cp, 1L, Long::sum));
        }
        int[] kept = counts.entrySet().stream()
                .filter(e -> e.getValue() >= minCount)
                .sorted((a, b) -> a.getValue().equals(b.getValue()) ? Integer.compare(a.getKey(), b.getKey())
                        : Long.compare(b.getValue(), a.getValue()))
                .limit(maxCharacters)
                .mapToInt(Map.Entry::getKey)
                .toArray();
        return new CharVocabulary(kept);
    }

    /** Number of ids, specials included: the language model's vocabulary size. */
    public int size() {
        return SPECIALS + codePoints.length;
    }

    /** The characters' code points in id order (ids {@code SPECIALS ..}). */
    public int[] codePoints() {
        return codePoints.clone();
    }

    public int id(int codePoint) {
        Integer id = lookup().get(codePoint);
        return id == null ? UNK : id;
    }

    /** Ids of the code points of {@code text}; unknown characters become {@link #UNK}. No BOS/EOS is added. */
    public int[] encode(String text) {
        return text.codePoints().map(this::id).toArray();
    }

    /** Text of {@code ids}: BOS and EOS are dropped, UNK becomes U+FFFD. */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            if (id == BOS || id == EOS) {
                continue;
            }
            if (id < 0 || id >= size()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + size() + ")");
            }
            sb.appendCodePoint(id == UNK ? 0xFFFD : codePoints[id - SPECIALS]);
        }
        return sb.toString();
    }

    public void write(Writer out) {
        try {
            out.write(HEADER);
            out.write('\n');
            for (int cp : codePoints) {
                out.write(Integer.toHexString(cp).toUpperCase(Locale.ROOT));
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the saved format; {@code source} (a file name) prefixes error messages with {@code source:line}. */
    public static CharVocabulary read(Reader in, String source) throws IOException {
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        String header = r.readLine();
        if (!HEADER.equals(header)) {
            throw new FormatException(source, 1, "not a character vocabulary (expected header '" + HEADER
                    + "', got '" + header + "')");
        }
        int[] cps = new int[16];
        int n = 0;
        int lineNo = 1;
        Map<Integer, Integer> seen = new HashMap<>();
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            int cp;
            try {
                cp = Integer.parseInt(line.trim(), 16);
            } catch (NumberFormatException e) {
                throw new FormatException(source, lineNo, "'" + line + "' is not a hexadecimal code point");
            }
            if (!Character.isValidCodePoint(cp)) {
                throw new FormatException(source, lineNo, line + " is not a valid code point");
            }
            Integer previous = seen.put(cp, lineNo);
            if (previous != null) {
                throw new FormatException(source, lineNo, "code point " + line + " already listed on line "
                        + previous);
            }
            if (n == cps.length) {
                cps = Arrays.copyOf(cps, 2 * n);
            }
            cps[n++] = cp;
        }
        return new CharVocabulary(Arrays.copyOf(cps, n));
    }

    /** A malformed saved vocabulary; the message is {@code source:line: detail}. */
    public static final class FormatException extends IOException {

        private static final long serialVersionUID = 1L;

        private final long line;
        private final String detail;

        FormatException(String source, long line, String detail) {
            super(source + ":" + line + ": " + detail);
            this.line = line;
            this.detail = detail;
        }

        public long line() {
            return line;
        }

        public String detail() {
            return detail;
        }
    }

    private Map<Integer, Integer> lookup() {
        Map<Integer, Integer> m = ids;
        if (m == null) {
            m = index(codePoints);
            ids = m;
        }
        return m;
    }

    private static Map<Integer, Integer> index(int[] codePoints) {
        Map<Integer, Integer> m = new HashMap<>(codePoints.length * 2);
        for (int i = 0; i < codePoints.length; i++) {
            m.put(codePoints[i], SPECIALS + i);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharVocabulary other && Arrays.equals(codePoints, other.codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }
}
