package io.concord.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * A loss with explicit per-example state (ALDR-KL's λ_i): a pure function of the outputs, targets and the examples'
 * current state rows that returns the loss, its gradient and the examples' new state rows. The state lives outside the
 * loss, in an {@link ExampleStateTable} keyed by example index; the engine gathers the rows of a batch, calls this, and
 * ships the new rows back as an {@link ExampleStateDeltas} statistic.
 *
 * <p>The new state is detached: the gradient treats it as a constant, as the reference implementations do.
 */
public interface ExampleStateLoss extends Objective {

    /** Name as used in configs ({@code loss.name}). */
    String name();

    /** Number of doubles of state per example. */
    int stateWidth();

    /** Writes the initial state of one example into {@code row} (length {@link #stateWidth()}). */
    void initialState(double[] row);

    /**
     * Returns Σᵢ lossᵢ over the batch, overwrites {@code gradOut} with its gradient with respect to {@code outputs} and
     * writes the new state of example i into {@code stateOut[i·w .. i·w + w)} ({@code w = stateWidth()}), reading the
     * current state from {@code stateIn} in the same layout. {@code stateIn} and {@code stateOut} may be the same array.
     */
    double valueAndGradient(INDArray outputs, INDArray targets, double[] stateIn, double[] stateOut, INDArray gradOut);
}
