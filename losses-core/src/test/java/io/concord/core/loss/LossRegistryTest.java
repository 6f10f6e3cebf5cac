package io.concord.core.loss;

import io.concord.core.pref.PreferenceLosses;
import io.concord.core.pref.SequenceObjective;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LossRegistryTest {

    @Test
    void everyNameBuildsWithItsDefaults() {
        for (String name : LossRegistry.names()) {
            Map<String, Object> params = switch (name) {
                case "comp-sum" -> Map.of("tau", 1.5);
                case "pass-at-n" -> Map.of("n", 4);
                case "aft" -> Map.of("beta", 0.1);
                default -> Map.of();
            };
            Object loss = LossRegistry.create(name, params);
            assertThat(loss).isNotNull();
        }
        assertThat(LossRegistry.namesOf(Loss.class)).containsExactly("cross-entropy", "comp-sum", "gce", "mae",
                "z-loss", "logit-z-loss", "stablemax", "ldr-kl", "infonce", "pseudo-huber", "pass-at-n");
        assertThat(LossRegistry.namesOf(MetricLoss.class)).containsExactly("proto-triplet", "icnn");
    }

    @Test
    void everyLossSurvivesJavaSerialization() throws Exception {
        for (String name : LossRegistry.names()) {
            Map<String, Object> params = switch (name) {
                case "comp-sum" -> Map.of("tau", 1.5);
                case "pass-at-n" -> Map.of("n", 4);
                case "aft" -> Map.of("beta", 0.1);
                default -> Map.of();
            };
            Object loss = LossRegistry.create(name, params);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(loss);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                    new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                Object copy = in.readObject();
                assertThat(copy.getClass()).isEqualTo(loss.getClass());
                if (copy instanceof Loss rowLoss) {
                    INDArray x = Nd4j.create(new double[] {0.3, -1, 2}, new long[] {1, 3}, DataType.DOUBLE);
                    INDArray y = Nd4j.create(new double[] {0, 0, 1}, new long[] {1, 3}, DataType.DOUBLE);
                    assertThat(rowLoss.valueAndGradient(x, y, x.dup()))
                            .isEqualTo(((Loss) loss).valueAndGradient(x, y, x.dup()));
                }
            }
        }
    }

    @Test
    void rowLossesWorkFromConfig() {
        Loss gce = LossRegistry.createLoss("gce", Map.of("q", 0.7));
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        INDArray h = Nd4j.create(new double[] {2, 1, 0}, new long[] {1, 3}, DataType.DOUBLE);
        INDArray y = Nd4j.create(new double[] {1, 0, 0}, new long[] {1, 3}, DataType.DOUBLE);
        assertThat(gce.valueAndGradient(h, y, grad)).isCloseTo(0.354614, within(1e-6));
        Object aldr = LossRegistry.create(Map.of("name", "aldr-kl", "alpha", 3));
        assertThat(aldr).isInstanceOf(AldrKlLoss.class);
    }

    @Test
    void errorsNameTheKeyAndTheKinds() {
        assertThatThrownBy(() -> LossRegistry.create("gce", Map.of("q", 0.0)))
                .hasMessage("loss.q: 0.0 is not allowed; must be in (0.0, 1.0]");
        assertThatThrownBy(() -> LossRegistry.create("focal", Map.of()))
                .hasMessageStartingWith("loss.name: 'focal' is not a known loss; one of cross-entropy, comp-sum");
        assertThatThrownBy(() -> LossRegistry.create("ldr-kl", Map.of("lamda", 1.0)))
                .hasMessage("loss.lamda: unknown parameter for 'ldr-kl'; allowed: lambda, margin");
        assertThatThrownBy(() -> LossRegistry.create("pass-at-n", Map.of()))
                .hasMessage("loss.n: is required");
        assertThatThrownBy(() -> LossRegistry.create("pass-at-n", Map.of("n", 2.5)))
                .hasMessage("loss.n: 2.5 is not an integer");
        assertThatThrownBy(() -> LossRegistry.createLoss("aldr-kl", Map.of()))
                .hasMessageStartingWith("loss.name: 'aldr-kl' is of kind ExampleStateLoss, but this job needs a Loss; "
                        + "one of cross-entropy");
        assertThatThrownBy(() -> LossRegistry.create("pseudo-huber", Map.of("c", 0.1, "cPerSqrtDim", 0.001)))
                .hasMessage("loss.c: give either c or cPerSqrtDim, not both");
    }

    @Test
    void oneCatalogHoldsEveryKindIncludingThePreferenceObjectives() {
        assertThat(LossRegistry.names()).contains("cross-entropy", "aldr-kl", "ensloss", "conr", "icnn",
                "normalized-softmax", "dpo", "simpo", "npo", "aft", "sft");
        assertThat(LossRegistry.kindOf("dpo")).isEqualTo(SequenceObjective.class);
        assertThat(LossRegistry.namesOf(SequenceObjective.class))
                .containsExactlyElementsOf(PreferenceLosses.NAMES);
        SequenceObjective simpo = LossRegistry.create("simpo", Map.of("beta", 2.5),
                SequenceObjective.class);
        assertThat(simpo.name()).isEqualTo("simpo");
        assertThatThrownBy(() -> LossRegistry.create("dpo", Map.of("bta", 1), SequenceObjective.class))
                .hasMessageStartingWith("loss.bta: unknown key for loss 'dpo'");
        assertThatThrownBy(() -> LossRegistry.create("dpo", Map.of(), Loss.class))
                .hasMessageStartingWith("loss.name: 'dpo' is of kind SequenceObjective, but this job needs a Loss");
        for (String name : LossRegistry.names()) {
            assertThat(Objective.class).isAssignableFrom(LossRegistry.kindOf(name));
        }
    }
}
