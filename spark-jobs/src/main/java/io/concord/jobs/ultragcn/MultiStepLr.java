package io.concord.jobs.ultragcn;

import io.concord.core.optim.Optimizer;

/**
 * A learning-rate schedule over any optimizer with an {@code lr} (PyTorch's MultiStepLR): phase k of the schedule is
 * the same optimizer built with {@code lr · factor^k}, used from optimizer step {@code startStep[k] + 1} on. The state
 * layout is the base optimizer's, so moments carry across the milestones. The step counter is the engine's: one step
 * per round in global-batch mode, {@code round · localSteps + k + 1} in parameter averaging with averaged state.
 */
public final class MultiStepLr implements Optimizer {

    private static final long serialVersionUID = 1L;

    private final Optimizer[] phases;
    private final long[] startStep;

    /**
     * @param phases    the optimizer per phase (phase 0 from step 1)
     * @param startStep {@code startStep[k]}: steps completed before phase k starts ({@code startStep[0] = 0})
     */
    public MultiStepLr(Optimizer[] phases, long[] startStep) {
        if (phases.length == 0 || phases.length != startStep.length || startStep[0] != 0) {
            throw new IllegalArgumentException("need one start step per phase, the first 0");
        }
        for (int k = 1; k < phases.length; k++) {
            if (startStep[k] <= startStep[k - 1]) {
                throw new IllegalArgumentException("phase start steps must increase: " + startStep[k - 1] + ", "
                        + startStep[k]);
            }
            if (!phases[k].name().equals(phases[0].name())) {
                throw new IllegalArgumentException("all phases must use the same optimizer");
            }
        }
        this.phases = phases.clone();
        this.startStep = startStep.clone();
    }

    /** The phase in force at 1-based step {@code t}. */
    int phase(long t) {
        int k = 0;
        while (k + 1 < phases.length && t > startStep[k + 1]) {
            k++;
        }
        return k;
    }

    @Override
    public String name() {
        return phases[0].name();
    }

    @Override
    public int stateSize(int numParams) {
        return phases[0].stateSize(numParams);
    }

    @Override
    public void initialiseState(float[] state, float[] params) {
        phases[0].initialiseState(state, params);
    }

    @Override
    public void step(float[] params, float[] grad, float[] state, long t) {
        phases[phase(t)].step(params, grad, state, t);
    }

    @Override
    public boolean stateIsAverageable() {
        return phases[0].stateIsAverageable();
    }
}
