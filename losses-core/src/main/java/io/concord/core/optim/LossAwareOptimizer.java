package io.concord.core.optim;

/**
 * An optimizer whose step also needs the objective's value at the current parameters (loss-adaptive step sizes). The
 * engine passes the reduced (mean) training loss it computed together with {@code grad}.
 */
public interface LossAwareOptimizer extends Optimizer {

    /** As {@link #step(float[], float[], float[], long)}, with {@code loss} = the objective at {@code params}. */
    void step(float[] params, float[] grad, float[] state, long t, double loss);
}
