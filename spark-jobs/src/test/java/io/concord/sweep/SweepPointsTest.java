package io.concord.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.cli.CliRunner;
import io.concord.config.ConfigException;
import io.concord.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sweep specs: grid order, seeded random draws within their bounds, and spec errors naming the key. */
class SweepPointsTest {

    @TempDir
    Path tmp;

    private static SweepSpec spec(String yaml) {
        JsonNode tree = ConfigLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "spec");
        return SweepSpec.parse(tree, "spec");
    }

    @Test
    void gridIsTheCartesianProductFirstKeySlowest() {
        List<Map<String, String>> points = SweepPoints.of(spec(
                "job: logreg\ngrid: {optimizer.lr: [0.1, 0.2], train.sync: [global-batch, parameter-averaging]}\n"));
        assertThat(points).containsExactly(
                Map.of("optimizer.lr", "0.1", "train.sync", "global-batch"),
                Map.of("optimizer.lr", "0.1", "train.sync", "parameter-averaging"),
                Map.of("optimizer.lr", "0.2", "train.sync", "global-batch"),
                Map.of("optimizer.lr", "0.2", "train.sync", "parameter-averaging"));
    }

    @Test
    void randomDrawsAreSeededAndWithinBounds() {
        String yaml = "job: logreg\ngrid: {train.sync: [global-batch, parameter-averaging]}\n"
                + "random: {samples: 50, seed: 7, space: {optimizer.lr: {logUniform: [1.0e-3, 1.0]},"
                + " optimizer.momentum: {uniform: [0.5, 0.9]}, train.batchSize: {intUniform: [16, 20]},"
                + " loss.name: {choice: [cross-entropy, focal]}}}\n";
        List<Map<String, String>> points = SweepPoints.of(spec(yaml));
        assertThat(points).hasSize(100).isEqualTo(SweepPoints.of(spec(yaml)));
        assertThat(points.subList(0, 50)).allMatch(p -> p.get("train.sync").equals("global-batch"));
        for (Map<String, String> p : points) {
            assertThat(Double.parseDouble(p.get("optimizer.lr"))).isBetween(1.0e-3, 1.0);
            assertThat(Double.parseDouble(p.get("optimizer.momentum"))).isBetween(0.5, 0.9);
            assertThat(Integer.parseInt(p.get("train.batchSize"))).isBetween(16, 20);
            assertThat(p.get("loss.name")).isIn("cross-entropy", "focal");
        }
        assertThat(points.stream().map(p -> p.get("train.batchSize")).distinct()).hasSize(5);
        assertThat(points.stream().filter(p -> Double.parseDouble(p.get("optimizer.lr")) < 0.0316)).hasSizeBetween(30, 70);
        assertThat(SweepPoints.of(spec(yaml.replace("seed: 7", "seed: 8")))).isNotEqualTo(points);
    }

    @Test
    void specErrorsNameTheKey() {
        assertThatThrownBy(() -> spec("job: logreg\ngrid: {optimizer.lr: 0.1}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("grid.optimizer.lr");
        assertThatThrownBy(() -> spec("job: logreg\ngoal: maximal\n")).hasMessageContaining("goal");
        assertThatThrownBy(() -> spec("job: logreg\nparalel: 2\n")).hasMessageContaining("paralel");
        assertThatThrownBy(() -> spec("job: logreg\nrandom: {samples: 2, space: {optimizer.lr: {logUniform: [0, 1]}}}\n"))
                .hasMessageContaining("random.space.optimizer.lr.logUniform");
        assertThatThrownBy(() -> spec("job: logreg\nset: {train.rounds: 3}\ngrid: {train.rounds: [1, 2]}\n"))
                .hasMessageContaining("grid.train.rounds");
    }

    @Test
    void aPointWithABadValueIsAConfigErrorBeforeAnythingRuns() throws IOException {
        Path specFile = tmp.resolve("bad.yaml");
        Files.writeString(specFile, "job: logreg\noutput: " + tmp.resolve("runs") + "\ngrid: {train.rounds: [2, -1]}\n");
        CliRunner.Result r = CliRunner.run("sweep", specFile.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("concord: error: ").contains("train.rounds");
        assertThat(tmp.resolve("runs")).doesNotExist();
    }
}
