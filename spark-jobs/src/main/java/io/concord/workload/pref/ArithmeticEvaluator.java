package io.concord.workload.pref;

import io.concord.core.lm.GruLanguageModel;
import io.concord.data.pref.AnswerChecker;
import io.concord.data.pref.ArithmeticProblem;
import io.concord.data.pref.TextEncoder;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Held-out accuracy on the arithmetic task, on executors: the greedy answer to each question is correct when its final
 * {@code Answer:} equals the true result ({@code task.accuracy}); {@code task.answered} is the share of answers with
 * any parsable final answer.
 */
final class ArithmeticEvaluator implements Serializable {

    private static final long serialVersionUID = 1L;

    private final GruLanguageModel lm;
    private final TextEncoder encoder;
    private final int maxNewTokens;

    ArithmeticEvaluator(GruLanguageModel lm, TextEncoder encoder, int maxNewTokens) {
        this.lm = lm;
        this.encoder = encoder;
        this.maxNewTokens = maxNewTokens;
    }

    Map<String, Double> evaluate(JavaSparkContext sc, JavaRDD<ArithmeticProblem> problems, float[] params) {
        double[] s = DistributedSum.of(sc, problems, params, this::sums);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("task.accuracy", s[1] / s[0]);
        out.put("task.answered", s[2] / s[0]);
        return out;
    }

    /** [questions, correct, answered]. */
    double[] sums(float[] params, List<ArithmeticProblem> problems) {
        double[] s = new double[3];
        for (ArithmeticProblem p : problems) {
            int[] answer = lm.sample(params, encoder.prompt(p.prompt()), 1, 0.0, maxNewTokens,
                    new SplittableRandom(0))[0];
            String text = encoder.vocabulary().decode(answer);
            s[0] += 1;
            s[1] += p.isCorrect(text) ? 1 : 0;
            s[2] += AnswerChecker.extract(text).isPresent() ? 1 : 0;
        }
        return s;
    }
}
