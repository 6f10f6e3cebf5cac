package io.concord.jobs.calib;

import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.core.optim.CurvatureOptimizer;
import io.concord.core.optim.LossAwareOptimizer;
import io.concord.core.optim.Optimizer;
import io.concord.engine.EngineConfig;
import io.concord.engine.SyncMode;
import io.concord.job.Components;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A learning-rate step decay around any plain optimizer: steps {@code t ≤ decayAfter} use the configured optimizer,
 * later steps the same optimizer with {@code lr × factor}. Both share one state layout (the rate is not part of the
 * state), so the switch carries the moments over unchanged.
 *
 * <p>The engine numbers steps globally ({@code t} = round·localSteps + k + 1) under global-batch and under
 * parameter averaging with averaged optimizer state; with a fresh state every round it restarts {@code t} at 1, so
 * that combination is rejected.
 */
final class StepDecay implements Optimizer {

    private static final long serialVersionUID = 1L;

    private final Optimizer before;
    private final Optimizer after;
    private final long decayAfter;

    StepDecay(Optimizer before, Optimizer after, long decayAfter) {
        this.before = before;
        this.after = after;
        this.decayAfter = decayAfter;
    }

    /** The optimizer of {@code spec}, decayed as {@code decay} says (or plain when {@code decay} is null). */
    static Optimizer of(ComponentSpec spec, CalibJobConfig.LrDecay decay, EngineConfig train) {
        Optimizer base = Components.optimizer(spec);
        if (decay == null) {
            return base;
        }
        if (base instanceof CurvatureOptimizer || base instanceof LossAwareOptimizer) {
            throw new ConfigException("lrDecay", "is not supported with optimizer " + base.name()
                    + " (curvature or loss-aware step rules); remove lrDecay or use sgd, adam, adamw, lion");
        }
        if (train.sync() == SyncMode.PARAMETER_AVERAGING && !train.averageOptimizerState()) {
            throw new ConfigException("lrDecay", "needs train.averageOptimizerState: true under parameter-averaging "
                    + "(otherwise every round restarts the step counter)");
        }
        Object lr = spec.params().get("lr");
        if (!(lr instanceof Number rate)) {
            throw new ConfigException("optimizer.lr", "is required with lrDecay (the decayed rate is optimizer.lr × "
                    + "lrDecay.factor)");
        }
        Map<String, Object> decayed = new LinkedHashMap<>(spec.params());
        decayed.put("lr", rate.doubleValue() * decay.factor());
        Optimizer after = Components.optimizer(ComponentSpec.of(spec.name(), decayed));
        long totalSteps = (long) train.rounds() * train.stepsPerRound();
        return new StepDecay(base, after, Math.round(decay.at() * totalSteps));
    }

    /** The last step at the configured rate. */
    long decayAfter() {
        return decayAfter;
    }

    @Override
    public String name() {
        return before.name();
    }

    @Override
    public int stateSize(int numParams) {
        return before.stateSize(numParams);
    }

    @Override
    public void initialiseState(float[] state, float[] params) {
        before.initialiseState(state, params);
    }

    @Override
    public void step(float[] params, float[] grad, float[] state, long t) {
        (t > decayAfter ? after : before).step(params, grad, state, t);
    }

    @Override
    public boolean stateIsAverageable() {
        return before.stateIsAverageable();
    }
}
