package io.concord.cli;

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
 * Every training job runs with {@code train.transport: allreduce} from config (multi-round barrier stages on
 * local[4]) and commits the same model, byte for byte, as with the driver transport for the same seed.
 */
class TransportPerJobTest {

    @TempDir
    Path tmp;

    private byte[] train(String job, String runId, String transport, String... sets) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", job, "--output", tmp.resolve("out").toString(),
                "--run-id", runId + "-" + transport, "--master", "local[4]", "--no-progress",
                "--set", "train.transport=" + transport, "--set", "train.roundsPerStage=3"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(job + " " + transport + ": " + run.err()).isZero();
        Path dir = tmp.resolve("out").resolve(runId + "-" + transport);
        assertThat(Files.readString(dir.resolve("config.effective.yaml"))).contains("transport: " + transport);
        return Files.readAllBytes(dir.resolve("model/params.bin"));
    }

    private void sameModelWithBothTransports(String job, String... sets) throws IOException {
        sameModel(job, job, sets);
    }

    private void sameModel(String job, String runId, String... sets) throws IOException {
        byte[] driver = train(job, runId, "driver", sets);
        byte[] allreduce = train(job, runId, "allreduce", sets);
        assertThat(allreduce).as(job + " params.bin").isEqualTo(driver);
    }

    @Test
    void logreg() throws IOException {
        sameModelWithBothTransports("logreg", "data.generate.examples=600", "data.generate.testExamples=200",
                "train.rounds=8", "train.batchSize=32", "eval.every=4", "train.partitions=4");
    }

    @Test
    void ultragcn() throws IOException {
        sameModelWithBothTransports("ultragcn", "data.generate.users=200", "data.generate.items=120",
                "data.generate.clusters=8", "data.generate.meanDegree=10", "ultragcn.embedding_dim=8",
                "ultragcn.negative_num=10", "ultragcn.negative_weight=10", "train.batchSize=128", "epochs=2",
                "eval.every=2", "train.partitions=3");
    }

    @Test
    void moeWithExactGlobalBalancing() throws IOException {
        sameModelWithBothTransports("moe", "data.generate.domains=4", "data.generate.examples=120",
                "data.generate.testExamples=40", "data.generate.seqLength=8", "data.generate.vocabSize=32",
                "model.modelDim=8", "model.experts=4", "model.topK=2", "model.expertHidden=8", "train.rounds=4",
                "train.partitions=4", "train.batchSize=3", "eval.every=4");
    }

    @Test
    void calib() throws IOException {
        sameModelWithBothTransports("calib", "data.generate.examples=32", "data.generate.testExamples=8",
                "data.generate.width=16", "data.generate.recordsPerShard=16", "data.generate.supersampling=1",
                "model.convChannels=[4, 8]", "model.denseUnits=16", "train.rounds=3", "train.batchSize=4",
                "train.localSteps=2", "eval.every=3");
    }

    @Test
    void preferenceJobs() throws IOException {
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            pairs.append(String.format("{\"prompt\": \"Q%d: ok?\", \"chosen\": \"yes %d\", \"rejected\": \"no %d\"}%n",
                    i, i % 7, i % 5));
        }
        Path pairsFile = Files.writeString(tmp.resolve("pairs.jsonl"), pairs.toString());
        String[] tiny = {"model.hidden=8", "train.batchSize=4", "train.partitions=2", "data.heldOutFraction=0.3",
            "data.maxPromptTokens=12", "data.maxCompletionTokens=8"};
        sameModel("pref-sft", "sft-pairs", concat(tiny, "data.source=pairs", "data.path=" + pairsFile,
                "train.rounds=3", "eval.every=3"));
        Path sft = tmp.resolve("out").resolve("sft-pairs-driver");
        sameModelWithBothTransports("pref-align", concat(tiny, "data.pairs=" + pairsFile, "init.run=" + sft,
                "model.hidden=null", "loss.name=dpo", "loss.beta=0.5", "train.rounds=3", "eval.every=3",
                "entanglement.every=0"));

        Path tofu = Files.createDirectories(tmp.resolve("tofu"));
        StringBuilder forget = new StringBuilder();
        StringBuilder retain = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            String r = String.format("{\"question\": \"Who is R%d?\", \"answer\": \"R%d paints.\"}%n", i, i);
            retain.append(r);
            if (i < 4) {
                forget.append(String.format("{\"question\": \"Who is F%d?\", \"answer\": \"F%d writes.\"}%n", i, i));
            }
        }
        Files.writeString(tofu.resolve("forget01.json"), forget);
        Files.writeString(tofu.resolve("retain99.json"), retain);
        Files.writeString(tofu.resolve("retain_perturbed.json"), retain);
        sameModel("pref-sft", "sft-tofu", "data.source=tofu", "data.path=" + tofu,
                "data.splits=[forget01, retain99]", "data.evalExamples=4", "model.hidden=8", "train.rounds=3",
                "train.batchSize=4", "eval.every=3");
        sameModelWithBothTransports("pref-unlearn", "data.path=" + tofu, "init.run=" + sft.resolveSibling("sft-tofu-driver"), "loss.name=npo", "loss.retain=ce", "train.rounds=3",
                "train.batchSize=2", "eval.every=3", "entanglement.every=0", "data.evalRetainExamples=3");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
