package io.concord.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code concord sweep} on tiny logreg runs (one JVM per point, two at a time): a re-run of the same spec finds its
 * committed points (no retraining), a changed fixed key gives new runs instead of silently returning the old ones,
 * and every sweep keeps its own results table and plot.
 */
class SweepIdempotenceTest {

    @TempDir
    Path tmp;

    private Path spec(String name, int rounds) throws IOException {
        Path spec = tmp.resolve(name + "-" + rounds + ".yaml");
        Files.writeString(spec, String.join("\n",
                "job: logreg",
                "name: " + name,
                "output: " + tmp.resolve("runs"),
                "master: local[1]",
                "parallel: 2",
                "pointMemory: 768m",
                "set: {train.rounds: " + rounds + ", data.generate.examples: 300, data.generate.testExamples: 100,",
                "      eval.every: " + rounds + "}",
                "grid: {optimizer.lr: [0.05, 0.5]}",
                "metric: accuracy",
                "goal: max", ""));
        return spec;
    }

    private static List<String> runIds(String out) {
        return out.lines().filter(l -> l.startsWith("[sweep] start ")).map(l -> l.split(" ")[2]).sorted().toList();
    }

    @Test
    void rerunIsANoOpAndAChangedFixedKeyGivesNewRuns() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path runs = tmp.resolve("runs");

        CliRunner.Result first = CliRunner.run("sweep", spec("lr", 2).toString());
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        List<String> ids = runIds(first.out());
        assertThat(ids).hasSize(2).allMatch(id -> id.matches("lr-lr-0\\.(05|5)_[0-9a-f]{12}"));
        for (String id : ids) {
            JsonNode s = json.readTree(runs.resolve(id).resolve("summary.json").toFile());
            assertThat(s.path("status").asText()).isEqualTo("succeeded");
            assertThat(s.path("rounds").asInt()).isEqualTo(2);
        }
        long committedAt = Files.getLastModifiedTime(runs.resolve(ids.get(0)).resolve("_SUCCESS")).toMillis();
        List<Path> sweepsAfterFirst = sweepDirs(runs);
        assertThat(sweepsAfterFirst).hasSize(1);
        String firstTable = Files.readString(sweepsAfterFirst.get(0).resolve("results.csv"));
        assertThat(firstTable.lines()).hasSize(3);
        assertThat(firstTable.lines().findFirst().orElseThrow())
                .startsWith("runId,optimizer.lr,exit,status,rounds,wallSeconds,finalLoss,accuracy");
        BufferedImage plot = ImageIO.read(sweepsAfterFirst.get(0).resolve("accuracy.png").toFile());
        assertThat(plot.getWidth()).isEqualTo(520);
        assertThat(plot.getHeight()).isEqualTo(360);

        // same spec again: the same run ids, already committed, nothing retrained; a new results folder
        CliRunner.Result again = CliRunner.run("sweep", spec("lr", 2).toString());
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(runIds(again.out())).isEqualTo(ids);
        assertThat(again.out()).contains("(already committed)");
        assertThat(Files.getLastModifiedTime(runs.resolve(ids.get(0)).resolve("_SUCCESS")).toMillis())
                .isEqualTo(committedAt);

        // a changed fixed key (rounds 2 -> 3): new run ids with 3-round runs, the 2-round runs untouched
        CliRunner.Result changed = CliRunner.run("sweep", spec("lr", 3).toString());
        assertThat(changed.exitCode()).as(changed.out() + changed.err()).isZero();
        List<String> newIds = runIds(changed.out());
        assertThat(newIds).hasSize(2).doesNotContainAnyElementsOf(ids);
        for (String id : newIds) {
            assertThat(json.readTree(runs.resolve(id).resolve("summary.json").toFile()).path("rounds").asInt())
                    .isEqualTo(3);
        }
        assertThat(json.readTree(runs.resolve(ids.get(0)).resolve("summary.json").toFile()).path("rounds").asInt())
                .isEqualTo(2);

        List<Path> sweeps = sweepDirs(runs);
        assertThat(sweeps).hasSize(3);
        assertThat(Files.readString(sweepsAfterFirst.get(0).resolve("results.csv"))).isEqualTo(firstTable);
        for (Path d : sweeps) {
            assertThat(d.resolve("results.csv")).exists();
            assertThat(d.resolve("sweep.json")).exists();
        }
    }

    private static List<Path> sweepDirs(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs.resolve("_sweeps"))) {
            return s.sorted().toList();
        }
    }
}
