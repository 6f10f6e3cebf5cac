package io.concord.core.pref;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Name-based creation: every name, defaults, and errors that name the config key. */
class PreferenceLossesTest {

    private static final LogProbBatch ONE = LogProbBatch.pairs(new double[] {-10.0}, new double[] {-12.0},
            new int[] {4}, new int[] {5}, new double[] {-11.0}, new double[] {-11.5});

    @Test
    void createsEveryLossByName() {
        for (String name : new String[] {"sft", "dpo", "robust", "ipo", "hinge", "sigmoid_norm", "rpo", "simpo", "npo",
            "grad_ascent", "inpo"}) {
            assertThat(PreferenceLosses.create(Map.of("name", name)).name()).isIn(name, "dpo");
        }
        assertThat(PreferenceLosses.create(Map.of("name", "aft", "beta", 0.1)).name()).isEqualTo("aft");
        assertThat(PreferenceLosses.create(Map.of("name", "aft", "variant", "dc")).name()).isEqualTo("aft");
        assertThat(PreferenceLosses.create("loss", "ipo", Map.of("beta", 0.1)).name()).isEqualTo("ipo");
    }

    @Test
    void defaultsMatchTheReferenceConfigs() {
        // DPOConfig β = 0.1
        assertThat(GradientCheck.value(PreferenceLosses.create(Map.of("name", "dpo")), ONE).lossSum())
                .isCloseTo(GradientCheck.value(new DpoLoss(0.1, 0.0), ONE).lossSum(), within(0.0));
        // SimPO β = 2.0, γ/β = 0.25
        assertThat(GradientCheck.value(PreferenceLosses.create(Map.of("name", "simpo")), ONE).lossSum())
                .isCloseTo(1.1031860488854581, within(1e-12));
        // RPO variants take their recipe defaults
        assertThat(GradientCheck.value(PreferenceLosses.create(Map.of("name", "rpo", "variant", "openrlhf")), ONE)
                .lossSum()).isCloseTo(0.8868710061148999, within(1e-12));
        assertThat(GradientCheck.value(PreferenceLosses.create(Map.of("name", "rpo")), ONE).lossSum())
                .isCloseTo(0.6861753052962775, within(1e-12));
        assertThat(GradientCheck.value(PreferenceLosses.create(Map.of("name", "ipo", "beta", 0.1)), ONE).lossSum())
                .isCloseTo(21.6225, within(1e-12));
        // a quoted YAML string is not a number (as in the typed config sections)
        assertThatThrownBy(() -> PreferenceLosses.create(Map.of("name", "ipo", "beta", "0.1")))
                .hasMessageStartingWith("loss.beta: '0.1' is not a number");
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> PreferenceLosses.create(Map.of("name", "dpo", "beta", -1)))
                .hasMessageStartingWith("loss.beta: -1.0 is not allowed");
        assertThatThrownBy(() -> PreferenceLosses.create(Map.of("name", "dpo", "label_smoothing", 0.5)))
                .hasMessageStartingWith("loss.label_smoothing: 0.5 is not allowed");
        assertThatThrownBy(() -> PreferenceLosses.create(Map.of("name", "dpo", "bta", 0.2)))
                .hasMessageStartingWith("loss.bta: unknown key for loss 'dpo'");
        assertThatThrownBy(() -> PreferenceLosses.create(Map.of("name", "kto")))
                .hasMessageStartingWith("loss.name: 'kto' is not a known loss");
        assertThatThrownBy(() -> PreferenceLosses.create(Map.of("beta", 0.1)))
                .hasMessageStartingWith("loss.name: required");
        assertThatThrownBy(() -> PreferenceLosses.create(Map.of("name", "aft", "variant", "bc")))
                .hasMessageStartingWith("loss.beta: required for aft variant bc");
        assertThatThrownBy(() -> PreferenceLosses.create(Map.of("name", "aft", "variant", "la", "beta", 0.1)))
                .hasMessageStartingWith("loss.beta: not used by aft variant la");
        assertThatThrownBy(() -> PreferenceLosses.create(Map.of("name", "npo", "retain", "l2")))
                .hasMessageStartingWith("loss.retain: 'l2' is not allowed; one of [ce, kl, none]");
        assertThatThrownBy(() -> PreferenceLosses.create(Map.of("name", "inpo", "eta", "fast")))
                .hasMessageStartingWith("loss.eta: 'fast' is not a number");
        assertThatThrownBy(() -> PreferenceLosses.create("train.loss", Map.of("name", "grad_ascent", "beta", 0.1)))
                .hasMessageStartingWith("train.loss.beta: unknown key for loss 'grad_ascent'");
    }
}
