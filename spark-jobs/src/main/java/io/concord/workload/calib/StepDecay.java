package io.concord.workload.calib;

import io.concord.config.ComponentSpec;
import io.concord.core.optim.Optimizer;
import io.concord.engine.EngineConfig;
import io.concord.job.Components;
import io.concord.job.MultiStepLr;

/**
 * The {@code lrDecay} of the calib job: one learning-rate step ({@code lr × factor}) after the fraction {@code at} of
 * all optimizer steps, as a one-milestone {@link MultiStepLr} (moments carry over; the same restrictions apply).
 */
final class StepDecay {

    private StepDecay() {
    }

    /** The optimizer of {@code spec}, decayed as {@code decay} says (or plain when {@code decay} is null). */
    static Optimizer of(ComponentSpec spec, CalibJobConfig.LrDecay decay, EngineConfig train) {
        Optimizer base = Components.optimizer(spec);
        if (decay == null) {
            return base;
        }
        long totalSteps = (long) train.rounds() * train.stepsPerRound();
        return MultiStepLr.of(spec, base, "lrDecay", decay.factor(), new long[]{Math.round(decay.at() * totalSteps)},
                train);
    }
}
