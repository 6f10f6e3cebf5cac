package io.concord.workload.moe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import io.concord.cli.ConcordMain;
import io.concord.core.moe.MoeExample;
import io.concord.data.moe.FeatureDomains;
import io.concord.data.moe.MoeJsonlWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** End-to-end {@code concord train moe} runs on local Spark: summary metrics, per-round metrics, report files. */
class MoeCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXPERTS = 8;
    private static final int TOP_K = 2;
    private static final int DOMAINS = 4;
    private static final int SEQ = 10;
    private static final int TEST_SEQS = 120;

    @TempDir
    Path tmp;

    private String[] train(String runId, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "moe", "--output", tmp.resolve("out").toString(),
                "--run-id", runId, "--master", "local[2]", "--no-progress",
                "--set", "data.generate.domains=" + DOMAINS, "--set", "data.generate.examples=200",
                "--set", "data.generate.testExamples=" + TEST_SEQS, "--set", "data.generate.seqLength=" + SEQ,
                "--set", "data.generate.vocabSize=48",
                "--set", "model.modelDim=8", "--set", "model.experts=" + EXPERTS, "--set", "model.topK=" + TOP_K,
                "--set", "model.expertHidden=8", "--set", "train.rounds=6", "--set", "train.partitions=2",
                "--set", "train.batchSize=3", "--set", "eval.every=3"));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void globalTwoPassRunReportsRoutingMetricsAndWritesTheExpertFrequencyReport() throws IOException {
        CliRunner.Result run = CliRunner.run(train("moe1"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path dir = tmp.resolve("out/moe1");
        assertThat(dir.resolve("_SUCCESS")).exists();
        assertThat(dir.resolve("config.effective.yaml")).content().contains("balance: global")
                .contains("freshness: two-pass").contains("job: moe");

        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        assertThat(summary.path("rounds").asInt()).isEqualTo(6);
        assertThat(summary.path("details").path("task").asText()).isEqualTo("next_token");
        long heldOutTokens = (long) TEST_SEQS * (SEQ - 1);
        assertThat(summary.path("details").path("heldOutTokens").asLong()).isEqualTo(heldOutTokens);
        JsonNode m = summary.path("metrics");
        assertThat(m.path("taskLoss").asDouble()).isBetween(0.1, 10.0);
        assertThat(m.path("accuracy").asDouble()).isBetween(0.0, 1.0);
        for (int l = 0; l < 2; l++) {
            String p = "layer" + l + ".";
            // max_i f_i·N_E is at least 1 (Σf = 1) and at most N_E/K (an expert is picked at most once per token).
            assertThat(m.path(p + "imbalance").asDouble()).isBetween(1.0, (double) EXPERTS / TOP_K);
            assertThat(m.path(p + "lbl").asDouble()).isBetween(0.0, (double) EXPERTS);
            // the K largest of N_E probabilities sum to at least K/N_E
            assertThat(m.path(p + "topKScoreSum").asDouble()).isBetween((double) TOP_K / EXPERTS, 1.0);
            assertThat(m.path(p + "specialization").asDouble()).isGreaterThanOrEqualTo(0.0);
            assertThat(m.path(p + "specializationNormalized").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(m.path("lbl").asDouble()).isCloseTo(
                (m.path("layer0.lbl").asDouble() + m.path("layer1.lbl").asDouble()) / 2, within(1e-12));

        // Per-round log: training routing metrics every round, held-out metrics at rounds 2 and 5; the final
        // held-out evaluation of the summary uses the last round's parameters, so it repeats round 5's values.
        List<String> jsonl = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertThat(jsonl).hasSize(6);
        for (int r = 0; r < 6; r++) {
            JsonNode round = JSON.readTree(jsonl.get(r));
            assertThat(round.path("metrics").has("train.layer1.imbalance")).isTrue();
            assertThat(round.path("metrics").has("layer0.specialization")).isEqualTo(r == 2 || r == 5);
            JsonNode counts = round.path("statistics").path("moe.expertCounts");
            assertThat(counts.size()).isEqualTo(2 * EXPERTS + 1);
            long tokens = 2L * 3 * (SEQ - 1);
            assertThat(counts.get(2 * EXPERTS).asLong()).as("round %d routed tokens", r).isEqualTo(tokens);
            long layer0 = 0;
            for (int e = 0; e < EXPERTS; e++) {
                layer0 += counts.get(e).asLong();
            }
            assertThat(layer0).isEqualTo(TOP_K * tokens);
            assertThat(round.path("statistics").has("moe.routingTally")).isFalse();
        }
        JsonNode last = JSON.readTree(jsonl.get(5)).path("metrics");
        assertThat(last.path("taskLoss").asDouble()).isEqualTo(m.path("taskLoss").asDouble());
        assertThat(last.path("layer1.specialization").asDouble()).isEqualTo(m.path("layer1.specialization").asDouble());
        assertThat(Files.readAllLines(dir.resolve("metrics.csv")).get(0)).contains("train.lbl")
                .contains("layer0.topKScoreSum");

        List<String> csv = Files.readAllLines(dir.resolve(ExpertFrequencyReport.CSV));
        assertThat(csv).hasSize(1 + 2 * (1 + DOMAINS));
        assertThat(csv.get(0)).startsWith("layer,domain,tokens,topKScoreSum,expert0").endsWith("expert7");
        for (int l = 0; l < 2; l++) {
            String[] all = csv.get(1 + l * (1 + DOMAINS)).split(",");
            assertThat(all[0]).isEqualTo(String.valueOf(l));
            assertThat(all[1]).isEqualTo("all");
            assertThat(Long.parseLong(all[2])).isEqualTo(heldOutTokens);
            long domainTokens = 0;
            for (int d = 0; d < DOMAINS; d++) {
                String[] row = csv.get(2 + l * (1 + DOMAINS) + d).split(",");
                assertThat(row[1]).isEqualTo("domain-" + d);
                domainTokens += Long.parseLong(row[2]);
                double sum = 0;
                for (int e = 0; e < EXPERTS; e++) {
                    sum += Double.parseDouble(row[4 + e]);
                }
                assertThat(sum).as("layer %d domain %d frequencies sum to K", l, d).isCloseTo(TOP_K, within(1e-5));
            }
            assertThat(domainTokens).isEqualTo(heldOutTokens);
        }
        for (int l = 0; l < 2; l++) {
            BufferedImage png = ImageIO.read(dir.resolve(ExpertFrequencyReport.heatmapPath(l)).toFile());
            assertThat(png).as("heatmap of layer " + l).isNotNull();
            assertThat(png.getWidth()).isGreaterThanOrEqualTo(600);
        }
        assertThat(dir.resolve("report/loss.png")).exists();
        assertThat(dir.resolve("model/params.bin")).exists();
    }

    @Test
    void jsonlClassificationRunWithRunningBufferUnderParameterAveraging() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("jsonl"));
        FeatureDomains gen = new FeatureDomains(new FeatureDomains.Config(3, 5, 3, 3.0, 0.0), 7);
        FileSystem fs = FileSystem.getLocal(new Configuration());
        List<MoeExample> all = gen.examples(0, 300);
        MoeJsonlWriter.write(fs, new org.apache.hadoop.fs.Path(data.resolve("part-0.jsonl").toString()),
                all.subList(0, 150), gen.domainNames());
        MoeJsonlWriter.write(fs, new org.apache.hadoop.fs.Path(data.resolve("part-1.jsonl").toString()),
                all.subList(150, 300), gen.domainNames());
        Path config = tmp.resolve("moe.yaml");
        Files.writeString(config, String.join("\n",
                "data:", "  paths: [" + data + "]", "  testFraction: 0.2",
                "model: {modelDim: 8, layers: 1, experts: 4, topK: 1, expertHidden: 8}",
                "moe: {balance: global, freshness: running-buffer, lblCoeff: 0.01}",
                "train: {sync: parameter-averaging, localSteps: 3, rounds: 4, partitions: 2, batchSize: 16}",
                "eval: {every: 2}", ""));
        String[] args = {"train", "moe", "--config", config.toString(), "--output", tmp.resolve("out").toString(),
                "--run-id", "j1", "--master", "local[2]", "--no-progress"};
        CliRunner.Result run = CliRunner.run(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = JSON.readTree(tmp.resolve("out/j1/summary.json").toFile());
        assertThat(summary.path("details").path("task").asText()).isEqualTo("classification");
        assertThat(summary.path("details").path("domains").toString()).isEqualTo("[\"domain-0\",\"domain-1\","
                + "\"domain-2\"]");
        long heldOut = summary.path("details").path("heldOutTokens").asLong();
        assertThat(heldOut).as("about 20%% of 300 held out").isBetween(35L, 85L);
        // running buffer: each round's counts cover the 3 local steps of 16 examples on both partitions
        List<String> jsonl = Files.readAllLines(tmp.resolve("out/j1/metrics.jsonl"));
        assertThat(jsonl).hasSize(4);
        for (String line : jsonl) {
            JsonNode counts = JSON.readTree(line).path("statistics").path("moe.expertCounts");
            assertThat(counts.get(4).asLong()).isEqualTo(2L * 3 * 16);
        }
        List<String> csv = Files.readAllLines(tmp.resolve("out/j1").resolve(ExpertFrequencyReport.CSV));
        assertThat(csv).hasSize(1 + 1 + 3);
        assertThat(csv.get(1)).startsWith("0,all," + heldOut + ",");

        Files.writeString(data.resolve("part-2.jsonl"), "{\"features\": [1, 2, 3, 4, 5], \"label\": 0}\n"
                + "{\"features\": [1, 2, \"x\", 4, 5], \"label\": 1}\n");
        args[7] = "j3";
        CliRunner.Result bad = CliRunner.run(args);
        assertThat(bad.exitCode()).isEqualTo(ConcordMain.BAD_INPUT);
        assertThat(bad.err()).contains("part-2.jsonl:2").contains("\"features\"[2] is not a finite number");
        assertThat(tmp.resolve("out/j3")).doesNotExist();
    }

    @Test
    void builtInConfigAndBenchPresetAreValid() {
        CliRunner.Result builtIn = CliRunner.run("validate", "moe");
        assertThat(builtIn.exitCode()).as(builtIn.err()).isZero();
        assertThat(builtIn.out()).contains("balance: global").contains("freshness: two-pass")
                .contains("config is valid");
        CliRunner.Result bench = CliRunner.run("validate", "moe", "--config", "preset:bench",
                "--set", "moe.balance=micro", "--set", "moe.freshness=null");
        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("balance: micro").contains("partitions: 8").doesNotContain("freshness");
    }

    @Test
    void badMoeSettingsAreUsageErrorsNamingTheKey() {
        CliRunner.Result topK = CliRunner.run(train("b1", "--set", "model.topK=9"));
        assertThat(topK.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(topK.err()).contains("model.topK: 9 is not allowed; must be an integer in [1, model.experts=8]");

        CliRunner.Result micro = CliRunner.run(train("b2", "--set", "moe.balance=micro",
                "--set", "moe.freshness=two-pass"));
        assertThat(micro.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(micro.err()).contains("moe.freshness");

        CliRunner.Result buffer = CliRunner.run(train("b3", "--set", "moe.freshness=running-buffer"));
        assertThat(buffer.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(buffer.err()).contains("moe.freshness").contains("parameter-averaging");

        CliRunner.Result onePass = CliRunner.run(train("b5", "--set", "moe.freshness=one-pass",
                "--set", "train.sync=parameter-averaging", "--set", "train.localSteps=2"));
        assertThat(onePass.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(onePass.err()).contains("moe.freshness").contains("one-pass").contains("global-batch");

        CliRunner.Result kind = CliRunner.run(train("b4", "--set", "data.generate.dim=4"));
        assertThat(kind.exitCode()).isEqualTo(ConcordMain.USAGE);
        assertThat(kind.err()).contains("data.generate.dim").contains("kind: features");
        assertThat(tmp.resolve("out")).doesNotExist();
    }
}
