package io.concord.workload.ultragcn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code concord train ultragcn} end to end on a small generated graph: both sync modes learn (Recall@20 far above a
 * random ranking's ≈ k/items = 0.1), the summary carries the official metric names and the best epoch, the evaluation
 * history is written, and a fixed seed gives bit-identical parameters.
 */
class UltraGcnCliTest {

    static final int EXIT_BAD_INPUT = 3;

    @TempDir
    Path tmp;

    static String[] args(Path out, String runId, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "ultragcn", "--output", out.toString(), "--run-id", runId,
                "--master", "local[2]", "--no-progress",
                "--set", "data.generate.users=300", "--set", "data.generate.items=200",
                "--set", "data.generate.clusters=8", "--set", "data.generate.meanDegree=12",
                "--set", "ultragcn.embedding_dim=16", "--set", "ultragcn.negative_num=20",
                "--set", "ultragcn.negative_weight=20",
                "--set", "train.batchSize=128", "--set", "epochs=6", "--set", "eval.every=3"));
        a.addAll(Arrays.asList(extra));
        return a.toArray(String[]::new);
    }

    private JsonNode summary(String runId) throws IOException {
        return new ObjectMapper().readTree(tmp.resolve("out").resolve(runId).resolve("summary.json").toFile());
    }

    @Test
    void bothSyncModesLearnAndReportTheOfficialMetrics() throws IOException {
        for (String[] mode : new String[][] {
                {"pa", "train.sync=parameter-averaging", "train.localSteps=4"},
                {"gb", "train.sync=global-batch", "train.localSteps=1"}}) {
            CliRunner.Result run = CliRunner.run(args(tmp.resolve("out"), mode[0], "--set", mode[1], "--set",
                    mode[2]));
            assertThat(run.exitCode()).as(run.err()).isZero();
            Path dir = tmp.resolve("out").resolve(mode[0]);
            assertThat(dir.resolve("_SUCCESS")).exists();
            assertThat(dir.resolve("model/params.bin")).exists();
            assertThat(dir.resolve("model/best-params.bin")).exists();
            List<String> history = Files.readAllLines(dir.resolve("eval.csv"));
            assertThat(history).hasSize(3);
            assertThat(history.get(0)).startsWith("epoch,round,trainSeconds");
            assertThat(history.get(1)).startsWith("2,");
            assertThat(history.get(2)).startsWith("5,");
            assertThat(run.out()).contains("epoch 5: loss");
            JsonNode m = summary(mode[0]).path("metrics");
            assertThat(m.path("recall@20").asDouble()).as(mode[0]).isGreaterThan(0.25);
            assertThat(m.path("ndcg@20").asDouble()).isGreaterThan(0.1);
            assertThat(m.path("precision@20").isNumber()).isTrue();
            assertThat(m.path("final.recall@20").asDouble()).isLessThanOrEqualTo(m.path("recall@20").asDouble());
            assertThat(m.path("bestEpoch").asInt()).isIn(2, 5);
            assertThat(m.path("epochs").asInt()).isEqualTo(6);
            assertThat(summary(mode[0]).path("details").path("partitions").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aFixedSeedGivesIdenticalParameters() throws IOException {
        String[] extra = {"--set", "train.sync=global-batch", "--set", "train.localSteps=1", "--set", "epochs=2",
                "--set", "eval.every=2"};
        assertThat(CliRunner.run(args(tmp.resolve("out"), "a", extra)).exitCode()).isZero();
        assertThat(CliRunner.run(args(tmp.resolve("out"), "b", extra)).exitCode()).isZero();
        assertThat(Files.readAllBytes(tmp.resolve("out/a/model/params.bin")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("out/b/model/params.bin")));
    }

    /**
     * A scheduled Adam is element-wise, so the allreduce owners keep sharded state and add the L2 in Adam's pass: a
     * milestone inside a barrier stage and the fast recipe's learning-rate phases decided at evaluations give the
     * driver path's parameters to the bit.
     */
    @Test
    void scheduledLearningRatesGiveTheDriverPathsParametersOnTheAllreduceTransport() throws IOException {
        String[][] schedules = {
                {"--set", "lrSchedule.milestones=[3]", "--set", "lrSchedule.factor=0.1"},
                {"--set", "recipe=fast"}};
        for (int k = 0; k < schedules.length; k++) {
            for (String transport : new String[] {"driver", "allreduce"}) {
                List<String> extra = new ArrayList<>(List.of("--set", "train.sync=global-batch", "--set",
                        "train.localSteps=1", "--set", "train.transport=" + transport, "--set", "ultragcn.gamma=1e-3"));
                extra.addAll(Arrays.asList(schedules[k]));
                CliRunner.Result run = CliRunner.run(args(tmp.resolve("out"), transport + k,
                        extra.toArray(String[]::new)));
                assertThat(run.exitCode()).as(run.err()).isZero();
            }
            assertThat(Files.readAllBytes(tmp.resolve("out/allreduce" + k + "/model/params.bin")))
                    .as(String.join(" ", schedules[k]))
                    .isEqualTo(Files.readAllBytes(tmp.resolve("out/driver" + k + "/model/params.bin")));
        }
    }

    @Test
    void malformedSplitFileNamesFileAndLineAndCommitsNothing() throws IOException {
        Path train = Files.writeString(tmp.resolve("train.txt"), "0 1 2\r\n1 3\r\n2 4 x5\r\n");
        Path test = Files.writeString(tmp.resolve("test.txt"), "0 3\n1 1\n2 0\n");
        CliRunner.Result run = CliRunner.run("train", "ultragcn", "--config", "preset:gowalla-fast",
                "--set", "data.train=" + train, "--set", "data.test=" + test,
                "--output", tmp.resolve("out").toString(), "--run-id", "bad", "--master", "local[2]",
                "--no-progress");
        assertThat(run.exitCode()).isEqualTo(EXIT_BAD_INPUT);
        assertThat(run.err()).contains("train.txt:3: item id 'x5'");
        assertThat(tmp.resolve("out/bad")).doesNotExist();

        Path duplicate = Files.writeString(tmp.resolve("dup.txt"), "0 1\n1 2\n0 3\n");
        CliRunner.Result dup = CliRunner.run("train", "ultragcn", "--config", "preset:gowalla-fast",
                "--set", "data.train=" + duplicate, "--set", "data.test=" + test,
                "--output", tmp.resolve("out").toString(), "--run-id", "dup", "--master", "local[2]",
                "--no-progress");
        assertThat(dup.exitCode()).isEqualTo(EXIT_BAD_INPUT);
        assertThat(dup.err()).contains("dup.txt:3: user 0 already has a line (line 1)");
        assertThat(tmp.resolve("out/dup")).doesNotExist();
    }

    @Test
    void malformedEdgeListAndMissingFilesAreInputErrors() throws IOException {
        Path edges = Files.writeString(tmp.resolve("edges.tsv"), "user\titem\n0\t1\n1\t-2\n");
        CliRunner.Result run = CliRunner.run(args(tmp.resolve("out"), "edges", "--set", "data.generate=null",
                "--set", "data.edges=" + edges));
        assertThat(run.exitCode()).isEqualTo(EXIT_BAD_INPUT);
        assertThat(run.err()).contains("edges.tsv:3:").contains("item");
        assertThat(tmp.resolve("out/edges")).doesNotExist();

        CliRunner.Result missing = CliRunner.run(args(tmp.resolve("out"), "missing", "--set", "data.generate=null",
                "--set", "data.train=" + tmp.resolve("nope.txt"), "--set", "data.test=" + tmp.resolve("nope2.txt")));
        assertThat(missing.exitCode()).isEqualTo(EXIT_BAD_INPUT);
        assertThat(missing.err()).contains("nope.txt: not found");
        assertThat(tmp.resolve("out/missing")).doesNotExist();
        assertThat(tmp.resolve("out/_staging/missing")).doesNotExist();
    }

    @Test
    void configErrorsNameTheKey() {
        CliRunner.Result r = CliRunner.run("validate", "ultragcn", "--set", "ultragcn.negative_num=0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("ultragcn.negative_num");
        CliRunner.Result metric = CliRunner.run("validate", "ultragcn", "--set", "eval.metric=mrr@20");
        assertThat(metric.exitCode()).isEqualTo(2);
        assertThat(metric.err()).contains("eval.metric").contains("recall@20, ndcg@20, precision@20, f1@20");
        CliRunner.Result both = CliRunner.run("validate", "ultragcn", "--set", "data.train=a.txt");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("data");
        CliRunner.Result gen = CliRunner.run("validate", "ultragcn", "--set", "data.generate.users=0");
        assertThat(gen.exitCode()).isEqualTo(2);
        assertThat(gen.err()).contains("data.generate.users");
    }
}
