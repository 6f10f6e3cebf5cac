package io.concord.workload.pref;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unlearning pipeline end to end on a toy TOFU folder: pref-sft on all QA, then pref-unlearn (NPO with the retain
 * term) from it; the forget set's likelihood falls over the unlearning steps and the trajectory is in summary.json.
 */
class PrefUnlearnCliTest {

    @TempDir
    Path tmp;

    private Path tofu() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("tofu"));
        StringBuilder forget = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            forget.append(String.format("{\"question\": \"Who is F%d?\", \"answer\": \"F%d writes sagas.\"}%n", i, i));
        }
        StringBuilder retain = new StringBuilder();
        StringBuilder evalRetain = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            String line = String.format("{\"question\": \"Who is R%d?\", \"answer\": \"R%d paints.\"}%n", i, i);
            retain.append(line);
            if (i < 5) {
                evalRetain.append(line);
            }
        }
        Files.writeString(dir.resolve("forget01.json"), forget);
        Files.writeString(dir.resolve("retain99.json"), retain);
        Files.writeString(dir.resolve("retain_perturbed.json"), evalRetain);
        return dir;
    }

    @Test
    void npoLowersTheForgetLikelihoodFromTheFineTunedModel() throws IOException {
        Path tofu = tofu();
        Path out = tmp.resolve("out");
        CliRunner.Result sft = PrefCli.train(out, "pref-sft", "sft", "data.source=tofu", "data.path=" + tofu,
                "data.splits=[forget01, retain99]", "data.evalExamples=4", "model.hidden=12", "train.rounds=6",
                "train.batchSize=4", "eval.every=6", "optimizer.lr=0.02");
        assertThat(sft.exitCode()).as(sft.err()).isZero();
        assertThat(PrefCli.summary(out.resolve("sft")).path("metrics").has("tofu.rougeL")).isTrue();

        CliRunner.Result npo = PrefCli.train(out, "pref-unlearn", "npo", "data.path=" + tofu,
                "init.run=" + out.resolve("sft"), "loss.name=npo", "loss.retain=ce", "optimizer.lr=0.02",
                "train.rounds=4", "train.batchSize=2", "eval.every=2", "entanglement.every=2",
                "entanglement.pairs=2", "data.evalRetainExamples=3");
        assertThat(npo.exitCode()).as(npo.err()).isZero();
        JsonNode summary = PrefCli.summary(out.resolve("npo"));
        JsonNode trajectory = summary.path("details").path("trajectory");
        assertThat(trajectory).hasSize(3);
        double start = trajectory.get(0).path("forget.loglik").asDouble();
        double end = trajectory.get(2).path("forget.loglik").asDouble();
        assertThat(end).isLessThan(start);
        assertThat(trajectory.get(2).has("retain.loglik")).isTrue();
        assertThat(trajectory.get(2).has("retain.rougeL")).isTrue();
        assertThat(trajectory.get(1).has("entangle.cosine")).isTrue();
        assertThat(summary.path("details").path("pairings").asInt()).isEqualTo(4);
    }
}
