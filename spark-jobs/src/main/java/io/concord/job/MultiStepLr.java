package io.concord.job;

import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.core.optim.CurvatureOptimizer;
import io.concord.core.optim.LossAwareOptimizer;
import io.concord.core.optim.Optimizer;
import io.concord.engine.EngineConfig;
import io.concord.engine.SyncMode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A learning-rate schedule over any optimizer with an {@code lr} (PyTorch's MultiStepLR): phase k of the schedule is
 * the same optimizer built with {@code lr · factor^k}, used from optimizer step {@code startStep[k] + 1} on. The state
 * layout is the base optimizer's, so moments carry across the milestones. The step counter is the engine's: one step
 * per round in global-batch mode, {@code round · localSteps + k + 1} in parameter averaging with averaged state
 * (with a fresh state every round it restarts at 1, so that combination is rejected).
 *
 * <p>A schedule whose milestones are decided while training ({@link LrOnPlateau}) starts with every later phase
 * undecided ({@link #undecided}); the driver fixes phase k's start with {@link #startPhaseAfter} between rounds, and
 * the decision reaches the executors with the next round's work.
 */
public final class MultiStepLr implements Optimizer {

    private static final long serialVersionUID = 1L;

    private final Optimizer[] phases;
    private final long[] startStep;
    private long revision;

    /**
     * @param phases    the optimizer per phase (phase 0 from step 1)
     * @param startStep {@code startStep[k]}: steps completed before phase k starts ({@code startStep[0] = 0})
     */
    public MultiStepLr(Optimizer[] phases, long[] startStep) {
        if (phases.length == 0 || phases.length != startStep.length || startStep[0] != 0) {
            throw new IllegalArgumentException("need one start step per phase, the first 0");
        }
        for (int k = 1; k < phases.length; k++) {
            if (startStep[k] < startStep[k - 1]) { // equal starts skip a phase (a decay at step 0 decays every step)
                throw new IllegalArgumentException("phase start steps must not decrease: " + startStep[k - 1] + ", "
                        + startStep[k]);
            }
            if (!phases[k].name().equals(phases[0].name())) {
                throw new IllegalArgumentException("all phases must use the same optimizer");
            }
        }
        this.phases = phases.clone();
        this.startStep = startStep.clone();
    }

    /**
     * The optimizer of {@code spec} ({@code base}, already built from it) with {@code optimizer.lr} multiplied by
     * {@code factor^k} after {@code decaySteps[k-1]} steps, k = 1..n.
     *
     * @param key the schedule's config key, named in errors
     */
    public static Optimizer of(ComponentSpec spec, Optimizer base, String key, double factor, long[] decaySteps,
                               EngineConfig train) {
        if (decaySteps.length == 0) {
            return base;
        }
        if (base instanceof CurvatureOptimizer || base instanceof LossAwareOptimizer) {
            throw new ConfigException(key, "is not supported with optimizer " + base.name()
                    + " (curvature or loss-aware step rules); remove " + key + " or use sgd, adam, adamw, lion");
        }
        if (train.sync() == SyncMode.PARAMETER_AVERAGING && !train.averageOptimizerState()) {
            throw new ConfigException(key, "needs train.averageOptimizerState: true under parameter-averaging "
                    + "(otherwise every round restarts the step counter)");
        }
        Object lrValue = spec.params().get("lr");
        if (lrValue == null) {
            throw new ConfigException("optimizer.lr", "is required with " + key + " (the decayed rates are "
                    + "optimizer.lr × factor^k)");
        }
        if (!(lrValue instanceof Number n)) {
            throw new ConfigException("optimizer.lr", lrValue, "a number (not a quoted string)");
        }
        double lr = n.doubleValue();
        Optimizer[] phases = new Optimizer[decaySteps.length + 1];
        long[] start = new long[decaySteps.length + 1];
        phases[0] = base;
        for (int k = 1; k < phases.length; k++) {
            Map<String, Object> params = new LinkedHashMap<>(spec.params());
            params.put("lr", lr * Math.pow(factor, k));
            phases[k] = Components.optimizer(ComponentSpec.of(spec.name(), params));
            start[k] = decaySteps[k - 1];
        }
        return new MultiStepLr(phases, start);
    }

    /**
     * The optimizer of {@code spec} with one phase per learning rate in {@code lrs} (phase 0 is {@code base}, built
     * with {@code lrs[0]}), none of the later phases started yet.
     */
    public static MultiStepLr undecided(ComponentSpec spec, Optimizer base, String key, double[] lrs,
                                        EngineConfig train) {
        if (base instanceof CurvatureOptimizer || base instanceof LossAwareOptimizer) {
            throw new ConfigException(key, "is not supported with optimizer " + base.name()
                    + " (curvature or loss-aware step rules); use sgd, adam, adamw, lion");
        }
        if (train.sync() == SyncMode.PARAMETER_AVERAGING && !train.averageOptimizerState()) {
            throw new ConfigException(key, "needs train.averageOptimizerState: true under parameter-averaging "
                    + "(otherwise every round restarts the step counter)");
        }
        Optimizer[] phases = new Optimizer[lrs.length];
        long[] start = new long[lrs.length];
        phases[0] = base;
        for (int k = 1; k < phases.length; k++) {
            Map<String, Object> params = new LinkedHashMap<>(spec.params());
            params.put("lr", lrs[k]);
            phases[k] = Components.optimizer(ComponentSpec.of(spec.name(), params));
            start[k] = Long.MAX_VALUE;
        }
        return new MultiStepLr(phases, start);
    }

    /** Number of phases (the first included). */
    public int phases() {
        return phases.length;
    }

    /** Phases started so far: 1 + the number of decided milestones. */
    public int phasesStarted() {
        int k = 1;
        while (k < phases.length && startStep[k] != Long.MAX_VALUE) {
            k++;
        }
        return k;
    }

    /** Starts phase {@code k} (the next undecided one) after {@code step} optimizer steps. */
    public void startPhaseAfter(int k, long step) {
        if (k != phasesStarted() || step < startStep[k - 1]) {
            throw new IllegalStateException("phase " + k + " cannot start after step " + step + " (" + phasesStarted()
                    + " phases started, the last after step " + startStep[k - 1] + ")");
        }
        startStep[k] = step;
        revision++;
    }

    @Override
    public long revision() {
        return revision;
    }

    /** The phase in force at 1-based step {@code t}. */
    public int phase(long t) {
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
    public void stepSlice(float[] params, float[] grad, int offset, int length, float[] state, long t) {
        phases[phase(t)].stepSlice(params, grad, offset, length, state, t);
    }

    @Override
    public void stepSliceWithL2(float[] params, float[] grad, int offset, int length, float[] state, long t,
                                float l2) {
        phases[phase(t)].stepSliceWithL2(params, grad, offset, length, state, t, l2);
    }

    /** The phases differ only in their learning rate, so the base optimizer's layout holds for all of them. */
    @Override
    public boolean elementWise() {
        return phases[0].elementWise();
    }

    @Override
    public boolean stateIsAverageable() {
        return phases[0].stateIsAverageable();
    }
}
