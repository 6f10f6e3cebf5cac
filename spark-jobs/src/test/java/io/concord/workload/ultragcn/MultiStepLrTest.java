package io.concord.workload.ultragcn;

import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.core.optim.Adam;
import io.concord.core.optim.Optimizer;
import io.concord.engine.EngineConfig;
import io.concord.engine.SyncMode;
import io.concord.job.MultiStepLr;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The learning-rate schedule: phases switch at the milestone steps and equal Adam with the scaled lr. */
class MultiStepLrTest {

    @Test
    void phasesSwitchAtTheMilestoneStepsAndEqualAdamWithTheScaledRate() {
        UltraGcnConfig config = config(List.of(2, 5), 0.1, "adam");
        // global-batch, 3 rounds per epoch: milestones after 6 and 15 steps
        EngineConfig gb = EngineConfig.defaults();
        MultiStepLr schedule = (MultiStepLr) UltraGcnJob.scheduled(config, Adam.adam(0.01), gb, 3);
        assertThat(schedule.phase(1)).isZero();
        assertThat(schedule.phase(6)).isZero();
        assertThat(schedule.phase(7)).isEqualTo(1);
        assertThat(schedule.phase(15)).isEqualTo(1);
        assertThat(schedule.phase(16)).isEqualTo(2);

        float[] p1 = {1f, -2f, 3f};
        float[] p2 = p1.clone();
        float[] s1 = new float[6];
        float[] s2 = new float[6];
        Optimizer[] reference = {Adam.adam(0.01), Adam.adam(0.001), Adam.adam(0.0001)};
        for (long t = 1; t <= 20; t++) {
            float[] g = {0.3f * t, -0.1f, 0.05f};
            schedule.step(p1, g.clone(), s1, t);
            reference[t <= 6 ? 0 : t <= 15 ? 1 : 2].step(p2, g.clone(), s2, t);
        }
        assertThat(p1).containsExactly(p2);
        assertThat(s1).containsExactly(s2);

        // parameter averaging with averaged state: steps per epoch = rounds per epoch × local steps
        EngineConfig pa = EngineConfig.defaults().withSync(SyncMode.PARAMETER_AVERAGING, 4);
        MultiStepLr perStep = (MultiStepLr) UltraGcnJob.scheduled(config, Adam.adam(0.01), pa, 3);
        assertThat(perStep.phase(24)).isZero();
        assertThat(perStep.phase(25)).isEqualTo(1);
    }

    /**
     * A schedule over an element-wise optimizer is element-wise too (the allreduce owners keep sharded state with it),
     * and its slice steps, with and without a model's L2, are the phase's own.
     */
    @Test
    void slicesStepWithThePhaseInForce() {
        MultiStepLr schedule = (MultiStepLr) UltraGcnJob.scheduled(config(List.of(2), 0.1, "adam"), Adam.adam(0.01),
                EngineConfig.defaults(), 3);
        assertThat(schedule.elementWise()).isTrue();
        float[] p1 = {1f, -2f, 3f, 0.5f, -0.25f};
        float[] p2 = p1.clone();
        float[] s1 = new float[4];
        float[] s2 = new float[4];
        Optimizer[] reference = {Adam.adam(0.01), Adam.adam(0.001)};
        for (long t = 1; t <= 10; t++) {
            float[] g = {0.3f * t, -0.1f, 0.05f, 0.2f, -0.4f};
            Optimizer phase = reference[t <= 6 ? 0 : 1];
            if (t % 2 == 0) {
                schedule.stepSlice(p1, g.clone(), 1, 2, s1, t);
                phase.stepSlice(p2, g.clone(), 1, 2, s2, t);
            } else {
                schedule.stepSliceWithL2(p1, g.clone(), 1, 2, s1, t, 0.01f);
                phase.stepSliceWithL2(p2, g.clone(), 1, 2, s2, t, 0.01f);
            }
        }
        assertThat(p1).containsExactly(p2);
        assertThat(s1).containsExactly(s2);
        assertThat(p1[0]).isEqualTo(1f);
        assertThat(p1[1]).isNotEqualTo(-2f);
    }

    @Test
    void withoutMilestonesTheOptimizerIsUnchangedAndBadSchedulesNameTheKey() {
        Adam adam = Adam.adam(0.01);
        assertThat(UltraGcnJob.scheduled(config(List.of(), 0.1, "adam"), adam, EngineConfig.defaults(), 3))
                .isSameAs(adam);
        assertThatThrownBy(() -> new UltraGcnConfig.LrSchedule(List.of(5, 5), 0.1))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lrSchedule.milestones");
        assertThatThrownBy(() -> new UltraGcnConfig.LrSchedule(List.of(5), 1.5))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lrSchedule.factor");
        EngineConfig fresh = new EngineConfig(SyncMode.PARAMETER_AVERAGING, null, null, null, 4, false, null, null,
                null, null, null, null, null);
        assertThatThrownBy(() -> UltraGcnJob.scheduled(config(List.of(2), 0.1, "adam"), adam, fresh, 3))
                .isInstanceOf(ConfigException.class).hasMessageContaining("averageOptimizerState");
        assertThatThrownBy(() -> new UltraGcnConfig(null, null, null, null, ComponentSpec.of("adam", Map.of()),
                null, null, null, null, new UltraGcnConfig.LrSchedule(List.of(2), 0.1)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lrSchedule")
                .hasMessageContaining("optimizer.lr");
    }

    @Test
    void aStringLearningRateIsAConfigErrorNamingTheKey() {
        UltraGcnConfig config = new UltraGcnConfig(null, null, null, null,
                ComponentSpec.of("adam", Map.of("lr", "1e-2")), null, null, null, null,
                new UltraGcnConfig.LrSchedule(List.of(1), 0.1));
        assertThatThrownBy(() -> UltraGcnJob.scheduled(config, Adam.adam(0.01), EngineConfig.defaults(), 2))
                .isInstanceOf(ConfigException.class)
                .hasMessage("optimizer.lr: '1e-2' is not allowed; must be a number (not a quoted string)");
    }

    private static UltraGcnConfig config(List<Integer> milestones, double factor, String optimizer) {
        return new UltraGcnConfig(null, null, null, null, ComponentSpec.of(optimizer, Map.of("lr", 0.01)), null,
                null, null, null, new UltraGcnConfig.LrSchedule(milestones, factor));
    }
}
