package io.concord.job;

import java.util.Map;

/** Evaluates parameters on held-out data (distributed or not); returns named metrics. */
@FunctionalInterface
public interface Evaluator {

    Map<String, Double> evaluate(float[] params, int round);
}
