package io.concord.workload.pref;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import io.concord.data.pref.ArithmeticProblem;
import io.concord.data.pref.ArithmeticTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reasoning pipeline end to end at toy size: pref-sft on the arithmetic task → pref-sample (k responses per
 * question on executors, scored by the answer checker) → pref-align with AFT on the sampled groups.
 */
class PrefReasoningCliTest {

    @TempDir
    Path tmp;

    private static final String[] TASK = {"arithmetic.examples=200", "arithmetic.evalQuestions=6",
        "arithmetic.maxNewTokens=24", "arithmetic.minDigits=1", "arithmetic.maxDigits=1"};

    @Test
    void sftSampleAndAftChainThroughCommittedRuns() throws IOException {
        Path out = tmp.resolve("out");
        CliRunner.Result sft = PrefCli.train(out, "pref-sft", "sft", PrefCli.concat(TASK, "model.hidden=8",
                "train.rounds=2", "train.batchSize=4", "eval.every=2"));
        assertThat(sft.exitCode()).as(sft.err()).isZero();
        JsonNode sftMetrics = PrefCli.summary(out.resolve("sft")).path("metrics");
        assertThat(sftMetrics.path("task.accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(sftMetrics.has("heldout.loglik")).isTrue();

        CliRunner.Result sample = PrefCli.train(out, "pref-sample", "sample", PrefCli.concat(TASK,
                "init.run=" + out.resolve("sft"), "sample.questions=12", "sample.k=3", "seed=5"));
        assertThat(sample.exitCode()).as(sample.err()).isZero();
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(out.resolve("sample/samples"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        ArithmeticTask task = ArithmeticTask.addition(1, 1);
        List<ArithmeticProblem> expected = task.generate(1, 0, 12).stream()
                .filter(p -> !ArithmeticTask.isHeldOut(p.question(), 0.1)).toList();
        assertThat(lines).hasSize(expected.size());
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode group = json.readTree(lines.get(i));
            ArithmeticProblem p = expected.get(i);
            assertThat(group.path("prompt").asText()).isEqualTo(p.prompt());
            assertThat(group.path("responses").get(0).asText()).isEqualTo(p.solution());
            assertThat(group.path("responses").size()).isBetween(1, 4).isEqualTo(group.path("scores").size());
            for (int j = 0; j < group.path("responses").size(); j++) {
                assertThat(group.path("scores").get(j).asInt())
                        .isEqualTo(p.isCorrect(group.path("responses").get(j).asText()) ? 1 : 0);
            }
        }
        JsonNode sampleMetrics = PrefCli.summary(out.resolve("sample")).path("metrics");
        assertThat(sampleMetrics.path("questions").asDouble()).isEqualTo(expected.size());

        CliRunner.Result aft = PrefCli.train(out, "pref-align", "aft", PrefCli.concat(TASK,
                "data.ranked=" + out.resolve("sample/samples"), "data.pairs=null", "init.run=" + out.resolve("sft"),
                "loss.name=aft", "loss.variant=bc", "loss.beta=0.3", "loss.sft_weight=1.0", "train.rounds=2",
                "train.batchSize=2", "eval.every=1", "entanglement.every=1", "entanglement.pairs=2",
                "data.heldOutFraction=0.0"));
        assertThat(aft.exitCode()).as(aft.err()).isZero();
        JsonNode summary = PrefCli.summary(out.resolve("aft"));
        assertThat(summary.path("metrics").path("task.accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(summary.path("details").path("trajectory")).hasSize(3);
        assertThat(summary.path("details").path("loss").asText()).contains("aft");
    }
}
