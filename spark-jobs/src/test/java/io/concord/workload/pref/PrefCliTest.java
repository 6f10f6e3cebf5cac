package io.concord.workload.pref;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.cli.CliRunner;
import io.concord.cli.ConcordMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end {@code concord train} of the pairs pipeline on a tiny file: pref-sft on the chosen completions, then
 * pref-align (DPO) from that run's committed model; and bad input or config failing with the documented exit codes.
 */
class PrefCliTest {

    @TempDir
    Path tmp;

    private Path pairsFile() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append(String.format("{\"prompt\": \"Q%d: ok?\", \"chosen\": \"yes %d\", \"rejected\": \"no %d\"}%n",
                    i, i % 7, i % 5));
        }
        return Files.writeString(tmp.resolve("pairs.jsonl"), sb.toString());
    }

    private static final String[] TINY = {"model.hidden=8", "train.batchSize=4", "train.partitions=2",
        "data.heldOutFraction=0.3", "data.maxPromptTokens=12", "data.maxCompletionTokens=8"};

    @Test
    void sftThenDpoFromTheSftRunCommitsModelMetricsAndEntanglement() throws IOException {
        Path pairs = pairsFile();
        Path out = tmp.resolve("out");
        CliRunner.Result sft = PrefCli.train(out, "pref-sft", "sft", PrefCli.concat(TINY, "data.source=pairs",
                "data.path=" + pairs, "train.rounds=3", "eval.every=3"));
        assertThat(sft.exitCode()).as(sft.err()).isZero();
        Path sftDir = out.resolve("sft");
        assertThat(sftDir.resolve("model/params.bin")).exists();
        assertThat(sftDir.resolve("model/vocabulary.txt")).content().startsWith("concord-char-vocabulary v1");
        assertThat(sftDir.resolve("model/lm.json")).content().contains("\"hidden\":8");
        JsonNode sftSummary = PrefCli.summary(sftDir);
        assertThat(sftSummary.path("metrics").path("heldout.loglik").asDouble()).isNegative();
        assertThat(sftSummary.path("metrics").has("pairs.accuracyLenNorm")).isTrue();

        CliRunner.Result dpo = PrefCli.train(out, "pref-align", "dpo", PrefCli.concat(TINY, "data.pairs=" + pairs,
                "init.run=" + sftDir, "model.hidden=null", "loss.name=dpo", "loss.beta=0.5", "optimizer.lr=0.05",
                "train.rounds=4", "eval.every=2", "entanglement.every=2", "entanglement.pairs=3"));
        assertThat(dpo.exitCode()).as(dpo.err()).isZero();
        Path dpoDir = out.resolve("dpo");
        JsonNode summary = PrefCli.summary(dpoDir);
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        assertThat(summary.path("rounds").asInt()).isEqualTo(4);
        JsonNode metrics = summary.path("metrics");
        // at the start the policy is its reference: every implicit reward is 0 and ties count as wrong
        assertThat(metrics.path("start.pairs.accuracy").asDouble()).isZero();
        assertThat(metrics.path("start.pairs.margin").asDouble()).isZero();
        assertThat(metrics.path("pairs.accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(metrics.path("pairs.margin").asDouble()).isNotZero();
        assertThat(summary.path("details").path("trajectory")).hasSize(3);
        assertThat(summary.path("details").path("reference").get(0).asText()).endsWith("sft/model/params.bin");
        assertThat(Files.readString(dpoDir.resolve("model/vocabulary.txt")))
                .isEqualTo(Files.readString(sftDir.resolve("model/vocabulary.txt")));
        List<String> rounds = Files.readAllLines(dpoDir.resolve("metrics.jsonl"));
        assertThat(rounds).hasSize(4);
        assertThat(rounds.get(0)).doesNotContain("entangle.");
        assertThat(rounds.get(1)).contains("\"entangle.cosine\"").contains("\"entangle.ratioChosen\"")
                .contains("\"pairs.accuracy\"");
        assertThat(rounds.get(3)).contains("\"entangle.share\"");
    }

    @Test
    void malformedJsonlIsAnInputErrorNamingFileAndLine() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.jsonl"),
                "{\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\"}\n{\"prompt\": \"a\", \"chosen\": \n");
        CliRunner.Result run = PrefCli.train(tmp.resolve("out"), "pref-sft", "bad", PrefCli.concat(TINY,
                "data.source=pairs", "data.path=" + bad, "train.rounds=1"));
        assertThat(run.exitCode()).isEqualTo(ConcordMain.BAD_INPUT);
        assertThat(run.err()).contains("bad.jsonl:2").contains("not valid JSON");
        assertThat(tmp.resolve("out/bad")).doesNotExist();

        Path missingField = Files.writeString(tmp.resolve("missing.jsonl"),
                "{\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\"}\n\n{\"prompt\": \"a\", \"chosen\": \"b\"}\n");
        CliRunner.Result run2 = PrefCli.train(tmp.resolve("out"), "pref-sft", "bad2", PrefCli.concat(TINY,
                "data.source=pairs", "data.path=" + missingField, "train.rounds=1"));
        assertThat(run2.exitCode()).isEqualTo(ConcordMain.BAD_INPUT);
        assertThat(run2.err()).contains("missing.jsonl:3").contains("missing field 'rejected'");
    }

    @Test
    void badLossConfigIsAUsageErrorNamingTheKey() throws IOException {
        Path pairs = pairsFile();
        CliRunner.Result wrongJob = PrefCli.train(tmp.resolve("out"), "pref-align", "a", "data.pairs=" + pairs,
                "init.run=" + tmp.resolve("nowhere"), "loss.name=npo");
        assertThat(wrongJob.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(wrongJob.err()).contains("loss.name").contains("pref-unlearn");
        CliRunner.Result badBeta = PrefCli.train(tmp.resolve("out"), "pref-align", "b", "data.pairs=" + pairs,
                "init.run=" + tmp.resolve("nowhere"), "loss.beta=-1");
        assertThat(badBeta.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(badBeta.err()).contains("loss.beta");
        CliRunner.Result missingInit = PrefCli.train(tmp.resolve("out"), "pref-align", "c", "data.pairs=" + pairs,
                "init.run=" + tmp.resolve("nowhere"));
        assertThat(missingInit.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(missingInit.err()).contains("init").contains("nowhere");
        assertThat(tmp.resolve("out")).doesNotExist();
    }
}
