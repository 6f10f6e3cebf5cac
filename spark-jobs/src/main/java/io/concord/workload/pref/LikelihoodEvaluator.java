package io.concord.workload.pref;

import io.concord.core.lm.CharVocabulary;
import io.concord.core.lm.GruLanguageModel;
import io.concord.core.lm.PromptCompletion;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Likelihood and generation quality of a set of (prompt, completion) records, on executors:
 * <ul>
 *   <li>{@code <prefix>.loglik}: mean log-likelihood per completion token (EOS included), Σ lp / Σ |y|;</li>
 *   <li>{@code <prefix>.seqLoglik}: mean summed completion log-likelihood per record;</li>
 *   <li>with {@code generate}: {@code <prefix>.rougeL}, the mean word-level ROUGE-L recall of the greedy answer against
 *       the (truncated) reference completion, and {@code <prefix>.exact}, the share of greedy answers equal to it.</li>
 * </ul>
 */
final class LikelihoodEvaluator implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 64;

    private final GruLanguageModel lm;
    private final CharVocabulary vocabulary;
    private final String prefix;
    private final boolean generate;
    private final int maxNewTokens;

    LikelihoodEvaluator(GruLanguageModel lm, CharVocabulary vocabulary, String prefix, boolean generate,
                        int maxNewTokens) {
        this.lm = lm;
        this.vocabulary = vocabulary;
        this.prefix = prefix;
        this.generate = generate;
        this.maxNewTokens = maxNewTokens;
    }

    Map<String, Double> evaluate(JavaSparkContext sc, JavaRDD<PromptCompletion> data, float[] params) {
        double[] s = DistributedSum.of(sc, data, params, this::sums);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(prefix + ".loglik", s[2] / s[1]);
        out.put(prefix + ".seqLoglik", s[2] / s[0]);
        if (generate) {
            out.put(prefix + ".rougeL", s[3] / s[0]);
            out.put(prefix + ".exact", s[4] / s[0]);
        }
        return out;
    }

    /** [records, completion tokens, Σ lp, Σ ROUGE-L, exact matches]. */
    double[] sums(float[] params, List<PromptCompletion> records) {
        double[] s = new double[5];
        for (List<PromptCompletion> chunk : DistributedSum.chunks(records, CHUNK)) {
            double[] lp = lm.logProbs(params, chunk);
            for (int i = 0; i < chunk.size(); i++) {
                s[0] += 1;
                s[1] += chunk.get(i).completion().length + 1;
                s[2] += lp[i];
            }
        }
        if (generate) {
            for (PromptCompletion r : records) {
                int[] answer = lm.sample(params, r.prompt(), 1, 0.0, maxNewTokens, new SplittableRandom(0))[0];
                String gold = vocabulary.decode(r.completion());
                String got = vocabulary.decode(answer);
                s[3] += RougeL.recall(gold, got);
                s[4] += gold.equals(got) ? 1 : 0;
            }
        }
        return s;
    }
}
