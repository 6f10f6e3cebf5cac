package io.concord.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * A loss whose value and gradient depend on random draws (EnsLoss). All randomness comes from {@code random}, which the
 * caller derives from (seed, step, partition) — {@code StepContext.random()} — so a retried task or a resumed run
 * draws the same numbers.
 */
public interface RandomizedLoss extends Objective {

    /** Name as used in configs ({@code loss.name}). */
    String name();

    /** As {@link Loss#valueAndGradient}, drawing from {@code random}. */
    double valueAndGradient(INDArray outputs, INDArray targets, INDArray gradOut, SplittableRandom random);
}
