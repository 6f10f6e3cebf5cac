package io.concord.workload.pref;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Word-level ROUGE-L recall, TOFU's answer-quality measure: the longest common subsequence of the reference's and the
 * candidate's words divided by the reference's word count. Words are lower-cased runs of letters and digits (TOFU's
 * {@code rouge_score} also stems; this does not).
 */
final class RougeL {

    private RougeL() {
    }

    static double recall(String reference, String candidate) {
        List<String> ref = words(reference);
        if (ref.isEmpty()) {
            return 0.0;
        }
        List<String> cand = words(candidate);
        int[] prev = new int[cand.size() + 1];
        int[] cur = new int[cand.size() + 1];
        for (String r : ref) {
            for (int j = 1; j <= cand.size(); j++) {
                cur[j] = r.equals(cand.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return (double) prev[cand.size()] / ref.size();
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) {
                w.appendCodePoint(cp);
            } else if (w.length() > 0) {
                out.add(w.toString());
                w.setLength(0);
            }
        });
        if (w.length() > 0) {
            out.add(w.toString());
        }
        return out;
    }
}
