package io.concord.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every training job at a size that trains in seconds, as {@code --set} overrides, shared by the per-job transport
 * tests on local[n] and on the standalone cluster. The preference jobs' inputs are small generated files.
 */
public final class TinyJobs {

    public static final String[] LOGREG = {"data.generate.examples=600", "data.generate.testExamples=200",
        "train.rounds=8", "train.batchSize=32", "eval.every=4", "train.partitions=4"};
    public static final String[] ULTRAGCN = {"data.generate.users=200", "data.generate.items=120",
        "data.generate.clusters=8", "data.generate.meanDegree=10", "ultragcn.embedding_dim=8",
        "ultragcn.negative_num=10", "ultragcn.negative_weight=10", "train.batchSize=128", "epochs=2", "eval.every=2",
        "train.partitions=3"};
    /** MoE with its default exact global-batch balancing. */
    public static final String[] MOE = {"data.generate.domains=4", "data.generate.examples=120",
        "data.generate.testExamples=40", "data.generate.seqLength=8", "data.generate.vocabSize=32",
        "model.modelDim=8", "model.experts=4", "model.topK=2", "model.expertHidden=8", "train.rounds=4",
        "train.partitions=4", "train.batchSize=3", "eval.every=4"};
    public static final String[] CALIB = {"data.generate.examples=32", "data.generate.testExamples=8",
        "data.generate.width=16", "data.generate.recordsPerShard=16", "data.generate.supersampling=1",
        "model.convChannels=[4, 8]", "model.denseUnits=16", "train.rounds=3", "train.batchSize=4",
        "train.localSteps=2", "eval.every=3"};
    private static final String[] PREF_TINY = {"model.hidden=8", "train.batchSize=4", "train.partitions=2",
        "data.heldOutFraction=0.3", "data.maxPromptTokens=12", "data.maxCompletionTokens=8"};

    private TinyJobs() {
    }

    /** 24 prompt/chosen/rejected pairs as JSONL under {@code dir}. */
    public static Path pairsFile(Path dir) throws IOException {
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            pairs.append(String.format("{\"prompt\": \"Q%d: ok?\", \"chosen\": \"yes %d\", \"rejected\": \"no %d\"}%n",
                    i, i % 7, i % 5));
        }
        return Files.writeString(dir.resolve("pairs.jsonl"), pairs.toString());
    }

    /** A TOFU-shaped directory (forget01, retain99, retain_perturbed) under {@code dir}. */
    public static Path tofuDir(Path dir) throws IOException {
        Path tofu = Files.createDirectories(dir.resolve("tofu"));
        StringBuilder forget = new StringBuilder();
        StringBuilder retain = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            retain.append(String.format("{\"question\": \"Who is R%d?\", \"answer\": \"R%d paints.\"}%n", i, i));
            if (i < 4) {
                forget.append(String.format("{\"question\": \"Who is F%d?\", \"answer\": \"F%d writes.\"}%n", i, i));
            }
        }
        Files.writeString(tofu.resolve("forget01.json"), forget);
        Files.writeString(tofu.resolve("retain99.json"), retain);
        Files.writeString(tofu.resolve("retain_perturbed.json"), retain);
        return tofu;
    }

    public static String[] sftOnPairs(Path pairs) {
        return concat(PREF_TINY, "data.source=pairs", "data.path=" + pairs, "train.rounds=3", "eval.every=3");
    }

    public static String[] alignFrom(Path pairs, Path sftRun) {
        return concat(PREF_TINY, "data.pairs=" + pairs, "init.run=" + sftRun, "model.hidden=null", "loss.name=dpo",
                "loss.beta=0.5", "train.rounds=3", "eval.every=3", "entanglement.every=0");
    }

    public static String[] sftOnTofu(Path tofu) {
        return new String[] {"data.source=tofu", "data.path=" + tofu, "data.splits=[forget01, retain99]",
            "data.evalExamples=4", "model.hidden=8", "train.rounds=3", "train.batchSize=4", "eval.every=3"};
    }

    public static String[] unlearnFrom(Path tofu, Path sftRun) {
        return new String[] {"data.path=" + tofu, "init.run=" + sftRun, "loss.name=npo", "loss.retain=ce",
            "train.rounds=3", "train.batchSize=2", "eval.every=3", "entanglement.every=0",
            "data.evalRetainExamples=3"};
    }

    /**
     * Trains in this JVM on local[4] with the given transport (3 rounds per barrier stage) and returns the committed
     * {@code model/params.bin}; the run directory is {@code output/runId}.
     */
    public static byte[] trainLocally(Path output, String job, String runId, String transport, String... sets)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("train", job, "--output", output.toString(), "--run-id", runId,
                "--master", "local[4]", "--no-progress", "--set", "train.transport=" + transport,
                "--set", "train.roundsPerStage=3"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(job + " " + transport + ": " + run.err()).isZero();
        Path dir = output.resolve(runId);
        assertThat(Files.readString(dir.resolve("config.effective.yaml"))).contains("transport: " + transport);
        return Files.readAllBytes(dir.resolve("model/params.bin"));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
