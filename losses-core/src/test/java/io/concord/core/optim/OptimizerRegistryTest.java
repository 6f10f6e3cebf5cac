package io.concord.core.optim;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptimizerRegistryTest {

    @Test
    void everyNameBuildsWithItsDefaults() {
        List<MatrixBlock> model = List.of(new MatrixBlock(0, 4, 6));
        for (String name : OptimizerRegistry.names()) {
            Map<String, Object> params = switch (name) {
                case "fira" -> Map.of("rank", 2);
                case "perp-grad" -> Map.of("base", Map.of("name", "adamw"));
                default -> Map.of();
            };
            Optimizer optimizer = OptimizerRegistry.create(name, params, model);
            assertThat(optimizer.name()).isEqualTo(name.equals("adam") ? "adam" : name);
            assertThat(optimizer.stateSize(30)).isGreaterThanOrEqualTo(0);
        }
        assertThat(OptimizerRegistry.names()).containsExactly("sgd", "adam", "adamw", "lion", "sophia-g",
                "sophia-h", "fira", "frugal", "normalized-gd", "perp-grad");
    }

    @Test
    void everyOptimizerSurvivesJavaSerializationAndStepsIdentically() throws Exception {
        List<MatrixBlock> model = List.of(new MatrixBlock(0, 4, 6));
        for (String name : OptimizerRegistry.names()) {
            Map<String, Object> params = switch (name) {
                case "sgd" -> Map.of("lr", 0.1, "momentum", 0.9);
                case "fira" -> Map.of("rank", 2);
                case "perp-grad" -> Map.of("base", Map.of("name", "lion"));
                default -> Map.of();
            };
            Optimizer original = OptimizerRegistry.create(name, params, model);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(original);
            }
            Optimizer copy;
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                    new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                copy = (Optimizer) in.readObject();
            }
            float[] p1 = new float[30];
            float[] g = new float[30];
            for (int i = 0; i < 30; i++) {
                p1[i] = (float) Math.sin(i + 1);
                g[i] = (float) Math.cos(3 * i);
            }
            float[] p2 = p1.clone();
            float[] s1 = new float[original.stateSize(30)];
            float[] s2 = new float[copy.stateSize(30)];
            if (original instanceof LossAwareOptimizer a && copy instanceof LossAwareOptimizer b) {
                a.step(p1, g.clone(), s1, 1, 0.5);
                b.step(p2, g.clone(), s2, 1, 0.5);
            } else {
                original.step(p1, g.clone(), s1, 1);
                copy.step(p2, g.clone(), s2, 1);
            }
            assertThat(p2).as(name).containsExactly(p1);
            assertThat(s2).as(name).containsExactly(s1);
        }
    }

    @Test
    void sectionMapWithNameAndNumbersButNotQuotedStrings() {
        assertThatThrownBy(() -> OptimizerRegistry.create(Map.of("name", "adamw", "lr", "3e-4")))
                .hasMessage("optimizer.lr: '3e-4' is not a number (a quoted string; write the number without quotes)");
        Optimizer adamw = OptimizerRegistry.create(Map.of("name", "adamw", "lr", 3e-4, "weightDecay", 0.1));
        assertThat(adamw).isInstanceOf(Adam.class);
        assertThat(((Adam) adamw).convention()).isEqualTo(Adam.Convention.TORCH);
        float[] theta = {1f};
        float[] state = new float[2];
        adamw.step(theta, new float[] {1f}, state, 1);
        assertThat((double) theta[0]).isCloseTo(1 - 3e-4 * 0.1 - 3e-4, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void errorsNameTheKeyAndListWhatIsAllowed() {
        assertThatThrownBy(() -> OptimizerRegistry.create("adam", Map.of("lr", -1.0)))
                .hasMessage("optimizer.lr: -1.0 is not allowed; must be a finite number > 0");
        assertThatThrownBy(() -> OptimizerRegistry.create("adma", Map.of()))
                .hasMessage("optimizer.name: 'adma' is not a known optimizer; one of sgd, adam, adamw, lion, "
                        + "sophia-g, sophia-h, fira, frugal, normalized-gd, perp-grad");
        assertThatThrownBy(() -> OptimizerRegistry.create("adam", Map.of("lr", 0.1, "momentum", 0.9)))
                .hasMessage("optimizer.momentum: unknown parameter for 'adam'; allowed: beta1, beta2, eps, lr, "
                        + "weightDecay");
        assertThatThrownBy(() -> OptimizerRegistry.create("fira", Map.of("matrices",
                List.of(Map.of("offset", 0, "rows", 4, "cols", 6)))))
                .hasMessage("optimizer.rank: is required");
        assertThatThrownBy(() -> OptimizerRegistry.create("adam", Map.of("lr", "fast")))
                .hasMessage("optimizer.lr: 'fast' is not a number (a quoted string; write the number without quotes)");
        assertThatThrownBy(() -> OptimizerRegistry.create("lion", Map.of("direction", "l1")))
                .hasMessage("optimizer.direction: 'l1' is not allowed; must be one of sign, l2");
        assertThatThrownBy(() -> OptimizerRegistry.create("fira", Map.of("rank", 2)))
                .hasMessageStartingWith("optimizer.matrices: is required for 'fira'");
        assertThatThrownBy(() -> OptimizerRegistry.create("fira", Map.of("rank", 9,
                "matrices", List.of(Map.of("offset", 0, "rows", 4, "cols", 6)))))
                .hasMessageStartingWith("optimizer.rank: 9 is not allowed; must be <= 4");
        assertThatThrownBy(() -> OptimizerRegistry.create("fira", Map.of("rank", 2,
                "matrices", List.of(Map.of("offset", 0, "rows", 4, "colz", 6)))))
                .hasMessage("optimizer.matrices[0].colz: unknown parameter for 'matrices'; allowed: cols, offset, "
                        + "rows");
        assertThatThrownBy(() -> OptimizerRegistry.create("fira", Map.of("rank", 2,
                "matrices", List.of(Map.of("offset", 10, "rows", 4, "cols", 6)))).stateSize(30))
                .hasMessageContaining("ends at 34, beyond the 30 parameters");
        assertThatThrownBy(() -> OptimizerRegistry.create("perp-grad", Map.of("base", Map.of("name", "sophia-g"))))
                .hasMessageContaining("perp-grad does not forward them");
        assertThatThrownBy(() -> OptimizerRegistry.create("sophia-g", Map.of("name", "adam")))
                .hasMessageContaining("does not match");
    }

    @Test
    void averageabilityFollowsTheProjector() {
        List<MatrixBlock> m = List.of(new MatrixBlock(0, 4, 6));
        assertThat(OptimizerRegistry.create("fira", Map.of("rank", 2), m).stateIsAverageable()).isFalse();
        assertThat(OptimizerRegistry.create("frugal", Map.of("projection", "svd"), m).stateIsAverageable()).isFalse();
        assertThat(OptimizerRegistry.create("frugal", Map.of(), m).stateIsAverageable()).isTrue();
        assertThat(OptimizerRegistry.create("lion", Map.of()).stateIsAverageable()).isTrue();
    }

    @Test
    void frugalRandomChoicesAgreeAcrossInstances() {
        List<MatrixBlock> blocks = List.of(new MatrixBlock(0, 2, 2), new MatrixBlock(4, 2, 2),
                new MatrixBlock(8, 2, 2), new MatrixBlock(12, 2, 2));
        Frugal a = (Frugal) OptimizerRegistry.create("frugal", Map.of("projection", "block", "density", 0.5,
                "updateGap", 3, "seed", 99), blocks);
        Frugal b = (Frugal) OptimizerRegistry.create("frugal", Map.of("projection", "block", "density", 0.5,
                "updateGap", 3, "seed", 99), blocks);
        for (long t = 1; t <= 12; t++) {
            assertThat(a.activeBlocks(t)).containsExactly(b.activeBlocks(t));
            int active = 0;
            for (boolean x : a.activeBlocks(t)) {
                active += x ? 1 : 0;
            }
            assertThat(active).isEqualTo(2);
        }
        assertThat(a.activeBlocks(1)).containsExactly(a.activeBlocks(3));
    }
}
