package io.concord.core.optim;

import java.io.Serializable;
import java.util.Arrays;

/**
 * An update rule over a flat parameter vector, with all of its state in one flat float vector so that the engine
 * can average, checkpoint and ship the state without knowing the optimizer (Tribuo's lifecycle, made stateless).
 *
 * <p>Lifecycle: {@link #initialiseState} once → {@link #step} for t = 1, 2, … → the state may be snapshot (copied),
 * restored, or averaged across workers between steps. Instances hold only hyperparameters; they are immutable and
 * {@link Serializable} so they can travel in task closures.
 */
public interface Optimizer extends Serializable {

    /** Name as used in configs ({@code optimizer.name}). */
    String name();

    /** Length of the flat state vector for a parameter vector of {@code numParams} floats (0 for stateless rules). */
    int stateSize(int numParams);

    /** Writes the initial state; the default leaves the zero-filled vector the engine allocates. */
    default void initialiseState(float[] state, float[] params) {
    }

    /**
     * One update of {@code params} in place from the reduced gradient {@code grad}, reading and writing
     * {@code state}. {@code t} is the 1-based step counter. {@code grad} may be overwritten (it is scratch).
     */
    void step(float[] params, float[] grad, float[] state, long t);

    /**
     * {@link #step} of the elements {@code [offset, offset + length)} of {@code params} and {@code grad} in place, with
     * {@code state} holding that slice's state ({@code stateSize(length)} floats, laid out as for a vector of
     * {@code length}): for an {@link #elementWise} optimizer exactly the slice of a full step. The sharded transport
     * steps its owner's slice this way without copying it out; the default copies the slice out and back.
     */
    default void stepSlice(float[] params, float[] grad, int offset, int length, float[] state, long t) {
        float[] p = Arrays.copyOfRange(params, offset, offset + length);
        float[] g = Arrays.copyOfRange(grad, offset, offset + length);
        step(p, g, state, t);
        System.arraycopy(p, 0, params, offset, length);
    }

    /**
     * {@link #stepSlice} (or {@link #step} for the whole vector) of a gradient that still lacks a model's uniform L2
     * term ({@link io.concord.core.model.Model#l2Coefficient}): exactly as if {@code grad[i] += l2 * params[i]} had
     * been written over the slice first. The default does that; an optimizer that can add the term in its own pass
     * over the slice overrides this, bit-identical to the default, with one read and one write of the gradient fewer.
     */
    default void stepSliceWithL2(float[] params, float[] grad, int offset, int length, float[] state, long t,
                                 float l2) {
        for (int i = offset; i < offset + length; i++) {
            grad[i] += l2 * params[i];
        }
        if (offset == 0 && length == params.length) {
            step(params, grad, state, t);
        } else {
            stepSlice(params, grad, offset, length, state, t);
        }
    }

    /**
     * Whether averaging this optimizer's state across workers is meaningful. Element-wise moment estimates (Adam,
     * momentum) average well; state holding projections or bases may not.
     */
    default boolean stateIsAverageable() {
        return true;
    }

    /**
     * Whether {@link #step} is element-wise and its state is {@code stateSize(n) / n} blocks of {@code n} floats
     * (block {@code j} holds element {@code i} at {@code j·n + i}): then a step on any slice of the parameters, with
     * the matching slices of the gradient and of every state block, equals the corresponding slice of a full step.
     * The engine's sharded transport lets each partition step only its own slice of such optimizers.
     */
    default boolean elementWise() {
        return false;
    }

    /**
     * Counts the changes made to this optimizer on the driver between rounds (a learning-rate phase decided from an
     * evaluation). Executors hold the copy shipped with the run; the engine ships a new one when this changes.
     */
    default long revision() {
        return 0;
    }
}
