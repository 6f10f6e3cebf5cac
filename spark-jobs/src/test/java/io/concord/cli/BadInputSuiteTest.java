package io.concord.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.data.calib.StereoDataset;
import io.concord.data.calib.StereoPairGenerator;
import io.concord.data.calib.StereoRigConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.util.ReflectionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and hostile inputs through {@code concord train} (in-process, local Spark): graph files, labelled
 * vectors, preference pairs, token sequences, calib image-pair shards, configs and command-line arguments. Every case
 * asserts the exit code (2 config/usage, 3 data, 4 output), a single {@code concord: error: …} line naming the file
 * and line or the config key, that nothing is committed under the output, and an end within 60 s.
 */
class BadInputSuiteTest {

    @TempDir
    static Path tmp;
    private static Path data;
    private static Path out;
    private static Path sftRun;

    /** One bad input: the CLI arguments, the expected exit code and the parts the error line must contain. */
    record Case(String name, int exit, List<String> args, List<String> message) {
        @Override
        public String toString() {
            return name;
        }
    }

    // ------------------------------------------------------------------------------------------------ fixtures

    @BeforeAll
    static void writeInputs() throws IOException {
        data = Files.createDirectories(tmp.resolve("data"));
        out = tmp.resolve("out");
        // interaction graphs
        write("edges-id.csv", "user,item\n0,1\n1,x3\n2,2\n");
        write("edges-neg.csv", "0,1\n-4,2\n");
        write("edges-cols.csv", "0,1\n1,2,3.0,4\n");
        write("edges-nan.csv", "0,1,1.0\n1,2,NaN\n");
        write("split-train.txt", "0 1 2\n1 2 q\n");
        write("split-test.txt", "0 3\n");
        write("split-dup.txt", "0 1 2\n1 2\n0 3\n");
        write("tiny-train.txt", "0 0 1\n1 1 2\n2 2 3\n3 0 3\n");
        write("tiny-test.txt", "0 2\n1 3\n");
        writeBytes("edges-utf8.csv", bytes("0,1\n1,2\n", "2,\u00ff3\n", 3));
        writeBytes("edges-notgz.csv.gz", "0,1\n1,2\n".getBytes(StandardCharsets.UTF_8));
        write("edges-long.csv", "0,1\n1," + "7".repeat(200) + "\n");
        // labelled vectors
        write("vec-label.csv", "0,1.0,2.0\nA,1.0,2.0\n");
        write("vec-neg.csv", "0,1.0,2.0\n1,1.0,2.0\n-1,0.5,0.5\n");
        write("vec-dim.csv", "0,1.0,2.0\n1,1.0\n");
        write("vec-nan.csv", "0,1.0,2.0\n1,NaN,2.0\n");
        write("vec-short.csv", "0,1.0,2.0\n7\n");
        writeBytes("vec-utf8.csv", bytes("0,1.0,2.0\n", "1,1.0,2\u00ff\n", 2));
        write("vec-long.csv", "0,1.0,2.0\n1," + "1.0,".repeat(100) + "1.0\n");
        write("vec-header-only.csv", "label,x1,x2\n");
        Files.createDirectories(data.resolve("vec-empty-dir"));
        write("vec-empty-dir/_SUCCESS", "");
        gzip("vec-bad.csv.gz", "0,1.0,2.0\n1,2.0,3.0\n1,2.0,oops\n");
        // preference pairs
        String good = goodPairs(30);
        write("pairs-good.jsonl", good);
        write("pairs-empty-prompt.jsonl", good + pair("", "a", "b"));
        write("pairs-empty-chosen.jsonl", good + pair("Q?", "", "b"));
        write("pairs-empty-rejected.jsonl", good + pair("Q?", "a", ""));
        write("pairs-identical.jsonl", good + pair("Q?", "same", "same"));
        write("pairs-json.jsonl", good + "{\"prompt\": \"Q\", \"chosen\": \n");
        write("pairs-missing.jsonl", good + "{\"prompt\": \"Q\", \"chosen\": \"a\"}\n");
        write("pairs-type.jsonl", good + "{\"prompt\": \"Q\", \"chosen\": 4, \"rejected\": \"b\"}\n");
        writeBytes("pairs-utf8.jsonl", bytes(good, pair("Q\u00ff", "a", "b"), 31));
        write("pairs-long.jsonl", good + pair("Q", "a".repeat(5000), "b"));
        write("pairs-hh-prefix.jsonl", good + "{\"chosen\": \"\\n\\nHuman: hi\\n\\nAssistant: yes\", \"rejected\": "
                + "\"\\n\\nHuman: bye\\n\\nAssistant: no\"}\n");
        write("pairs-hh-noturn.jsonl", good + "{\"chosen\": \"\\n\\nHuman: hi\", \"rejected\": \"\\n\\nHuman: ho\"}\n");
        writeBytes("pairs-notgz.jsonl.gz", good.getBytes(StandardCharsets.UTF_8));
        // token sequences (MoE JSONL)
        String tokens = tokenLines(40);
        write("moe-json.jsonl", tokens + "{\"tokens\": [1, 2\n");
        write("moe-kinds.jsonl", tokens + "{\"features\": [1.0, 2.0], \"label\": 1}\n");
        write("moe-domain.jsonl", tokens + "{\"tokens\": [1, 2], \"domain\": {\"x\": 1}}\n");
        write("moe-vocab.jsonl", tokens + "{\"tokens\": [1, 99], \"domain\": \"a\"}\n");
        write("moe-negative.jsonl", tokens + "{\"tokens\": [1, -2], \"domain\": \"a\"}\n");
        write("moe-dim.jsonl", featureLines(40) + "{\"features\": [1.0], \"label\": 1}\n");
        write("moe-label.jsonl", featureLines(40) + "{\"features\": [1.0, 2.0]}\n");
        write("moe-none.jsonl", tokens + "{\"domain\": \"a\"}\n");
        writeBytes("moe-utf8.jsonl", bytes("{\"text\": \"abc\"}\n", "{\"text\": \"a\u00ffc\"}\n", 2));
        writeBytes("moe-notgz.jsonl.gz", tokens.getBytes(StandardCharsets.UTF_8));
        // calib image-pair shards
        writeCalib();
        // configs
        write("cfg-lr-string.yaml", "optimizer:\n  name: sgd\n  lr: '0.01'\n");
        write("cfg-rounds-string.yaml", "train:\n  rounds: '10'\n");
        write("cfg-bool-string.yaml", "train:\n  averageOptimizerState: 'true'\n");
        write("cfg-max-string.yaml", "data:\n  generate: null\n  path: " + data.resolve("vec-nan.csv")
                + "\n  maxRecordBytes: '1000'\n");
        write("cfg-syntax.yaml", "train:\n  rounds: [1, 2\n");
        write("cfg-list.yaml", "- train\n- rounds\n");
        write("cfg-other-job.yaml", "job: ultragcn\n");
        write("cfg-unknown.yaml", "train:\n  roundz: 3\n");
        write("cfg-tab.yaml", "train:\n\trounds: 3\n");
        write("cfg-loss-string.yaml", "loss:\n  name: gce\n  q: '0.7'\n");
    }

    /** A small SFT model for the preference cases (pref-align needs a policy to start from). */
    private static synchronized Path sftRun() {
        if (sftRun == null) {
            CliRun sft = CliRun.of(args("pref-sft", "sft", "data.source=pairs", "data.path=" + data.resolve(
                    "pairs-good.jsonl"), "model.hidden=8", "train.batchSize=4", "train.partitions=2",
                    "train.rounds=1", "eval.every=1", "data.maxPromptTokens=12", "data.maxCompletionTokens=8")
                    .toArray(String[]::new));
            assertThat(sft.exitCode()).as(sft.err()).isZero();
            sftRun = tmp.resolve("sft-out").resolve("sft");
            try {
                Files.createDirectories(sftRun.getParent());
                Files.move(out.resolve("sft"), sftRun);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return sftRun;
    }

    private static void writeCalib() throws IOException {
        StereoPairGenerator gen = new StereoPairGenerator(StereoRigConfig.cvgl(16), 5);
        FileSystem raw = FileSystem.getLocal(new Configuration()).getRawFileSystem();
        for (String name : List.of("calib-manifest", "calib-missing", "calib-count", "calib-truncated",
                "calib-magic", "calib-nomanifest")) {
            StereoDataset.write(raw, new org.apache.hadoop.fs.Path(data.resolve(name).toUri()), gen.generate(0, 8), 4);
        }
        Path test = data.resolve("calib-test");
        StereoDataset.write(raw, new org.apache.hadoop.fs.Path(test.toUri()), gen.generate(100, 4), 4);
        Files.writeString(data.resolve("calib-manifest/_MANIFEST"), "part-00000.stereo\t4\npart-00001.stereo four\n");
        Files.delete(data.resolve("calib-missing/part-00001.stereo"));
        Files.writeString(data.resolve("calib-count/_MANIFEST"), "part-00000.stereo\t4\npart-00001.stereo\t5\n");
        Path truncated = data.resolve("calib-truncated/part-00001.stereo");
        try (RandomAccessFile f = new RandomAccessFile(truncated.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        try (RandomAccessFile f = new RandomAccessFile(data.resolve("calib-magic/part-00000.stereo").toFile(),
                "rw")) {
            f.writeInt(0x12345678);
        }
        Files.delete(data.resolve("calib-nomanifest/_MANIFEST"));
    }

    // ------------------------------------------------------------------------------------------------ cases

    static Stream<Case> cases() {
        String d = data.toString() + "/";
        List<Case> c = new ArrayList<>();
        // interaction graphs (ultragcn / als)
        c.add(graph("edge list: non-integer item id", "edges-id.csv:3", "item id 'x3' is not a non-negative integer"));
        c.add(graph("edge list: negative user id", "edges-neg.csv:2", "user id -4 is negative"));
        c.add(graph("edge list: four fields", "edges-cols.csv:2", "found 4"));
        c.add(graph("edge list: NaN weight", "edges-nan.csv:2", "not finite"));
        c.add(graph("edge list: invalid UTF-8", "edges-utf8.csv:3", "not valid UTF-8"));
        c.add(graph("edge list: .gz that is not gzip", "edges-notgz.csv.gz", "cannot"));
        c.add(new Case("edge list: line over data.maxRecordBytes", 3, args("ultragcn", "g-long", "data.generate=null",
                "data.edges=" + d + "edges-long.csv", "data.maxRecordBytes=64"),
                List.of("edges-long.csv:2", "longer than 64 bytes")));
        c.add(new Case("edge list: missing file", 3, args("als", "g-missing", "data.generate=null",
                "data.edges=" + d + "nope.csv"), List.of("nope.csv", "not found")));
        c.add(new Case("split files: bad item token", 3, args("ultragcn", "g-split", "data.generate=null",
                "data.train=" + d + "split-train.txt", "data.test=" + d + "split-test.txt"),
                List.of("split-train.txt:2", "item id 'q'")));
        c.add(new Case("split files: second line for a user", 3, args("ultragcn", "g-dup", "data.generate=null",
                "data.train=" + d + "split-dup.txt", "data.test=" + d + "split-test.txt"),
                List.of("split-dup.txt:3", "user 0 already has a line")));
        c.add(new Case("split files: train without test", 2, args("ultragcn", "g-notest", "data.generate=null",
                "data.train=" + d + "split-train.txt"), List.of("data.test", "is required")));
        c.add(new Case("ultragcn: ii_neighbor_num above the item count", 2, args("ultragcn", "g-k",
                "data.generate=null", "data.train=" + d + "tiny-train.txt", "data.test=" + d + "tiny-test.txt"),
                List.of("ultragcn.ii_neighbor_num: 10 is not allowed", "at most the number of items, 4")));
        // labelled vectors (logreg)
        c.add(vectors("vectors: label not an integer", "vec-label.csv:2", "label 'A' is not an integer"));
        c.add(vectors("vectors: negative label", "vec-neg.csv:3", "label -1 is negative"));
        c.add(vectors("vectors: dimension change", "vec-dim.csv:2", "has 1 features, expected 2"));
        c.add(vectors("vectors: NaN feature", "vec-nan.csv:2", "must be finite"));
        c.add(vectors("vectors: no features", "vec-short.csv:2", "expected 'label,x1,...,xd'"));
        c.add(vectors("vectors: invalid UTF-8", "vec-utf8.csv:2", "not valid UTF-8"));
        c.add(vectors("vectors: gzip with a bad line", "vec-bad.csv.gz:3", "feature 2 'oops' is not a number"));
        c.add(new Case("vectors: line over data.maxRecordBytes", 3, args("logreg", "v-long", "data.generate=null",
                "data.path=" + d + "vec-long.csv", "data.maxRecordBytes=100"),
                List.of("vec-long.csv:2", "longer than 100 bytes")));
        c.add(vectors("vectors: header only", "vec-header-only.csv", "empty"));
        c.add(vectors("vectors: directory without data files", "vec-empty-dir", "no data files"));
        c.add(vectors("vectors: missing path", "no-such.csv", "does not exist"));
        // preference pairs (pref-align from a small SFT model)
        c.add(pairs("pairs: empty prompt", "pairs-empty-prompt.jsonl:31", "empty prompt"));
        c.add(pairs("pairs: empty chosen", "pairs-empty-chosen.jsonl:31", "empty chosen completion"));
        c.add(pairs("pairs: empty rejected", "pairs-empty-rejected.jsonl:31", "empty rejected completion"));
        c.add(pairs("pairs: identical chosen and rejected", "pairs-identical.jsonl:31",
                "chosen and rejected completions are identical"));
        c.add(pairs("pairs: truncated JSON", "pairs-json.jsonl:31", "not valid JSON"));
        c.add(pairs("pairs: missing field", "pairs-missing.jsonl:31", "missing field 'rejected'"));
        c.add(pairs("pairs: non-string field", "pairs-type.jsonl:31", "field 'chosen' must be a string"));
        c.add(pairs("pairs: invalid UTF-8", "pairs-utf8.jsonl:31", "not valid UTF-8"));
        c.add(pairs("pairs: HH-RLHF dialogues differ before the last turn", "pairs-hh-prefix.jsonl:31",
                "differ before the last assistant turn"));
        c.add(pairs("pairs: HH-RLHF without an assistant turn", "pairs-hh-noturn.jsonl:31",
                "no '\\n\\nAssistant:' turn"));
        c.add(pairs("pairs: .gz that is not gzip", "pairs-notgz.jsonl.gz", "cannot read"));
        c.add(new Case("pairs: line over data.maxRecordBytes", 3, prefArgs("p-long", "data.pairs=" + d
                + "pairs-long.jsonl", "data.maxRecordBytes=1000"), List.of("pairs-long.jsonl:31",
                "longer than 1000 bytes")));
        // token sequences (moe JSONL)
        c.add(moe("tokens: truncated JSON", "moe-json.jsonl:41", "invalid JSON"));
        c.add(moe("tokens: features after tokens", "moe-kinds.jsonl:41", "has \"features\" but the first record"));
        c.add(moe("tokens: domain is an object", "moe-domain.jsonl:41", "\"domain\" must be a string or an integer"));
        c.add(moe("tokens: id above data.vocabSize", "moe-vocab.jsonl:41", "must be an integer id in [0, 50)"));
        c.add(moe("tokens: negative id", "moe-negative.jsonl:41", "must be an integer id"));
        c.add(moe("tokens: record without tokens", "moe-none.jsonl:41", "expected exactly one of"));
        c.add(moe("features: dimension change", "moe-dim.jsonl:41", "\"features\" has 1 values"));
        c.add(moe("features: missing label", "moe-label.jsonl:41", "need an integer \"label\""));
        c.add(moe("text: invalid UTF-8", "moe-utf8.jsonl:2", "not valid UTF-8"));
        c.add(moe("tokens: .gz that is not gzip", "moe-notgz.jsonl.gz", "cannot"));
        c.add(new Case("tokens: empty data.paths", 2, args("moe", "m-empty", "data.generate=null", "data.paths=[]"),
                List.of("data.paths")));
        // calib image-pair shards
        c.add(calib("shards: bad manifest line", "calib-manifest", "_MANIFEST:2", "expected 'name<TAB>count'"));
        c.add(calib("shards: listed shard missing", "calib-missing", "part-00001.stereo", "missing shard file"));
        c.add(calib("shards: record count differs from the manifest", "calib-count", "part-00001.stereo",
                "lists 5"));
        c.add(calib("shards: truncated shard", "calib-truncated", "part-00001.stereo", "truncated"));
        c.add(calib("shards: bad magic", "calib-magic", "part-00000.stereo", "bad magic"));
        c.add(calib("shards: no manifest", "calib-nomanifest", "_MANIFEST", "missing manifest"));
        // configs
        c.add(config("config: optimizer.lr as a quoted string", "cfg-lr-string.yaml", "optimizer.lr", "0.01"));
        c.add(config("config: train.rounds as a quoted string", "cfg-rounds-string.yaml", "train.rounds", "10"));
        c.add(config("config: boolean as a quoted string", "cfg-bool-string.yaml", "train.averageOptimizerState",
                "true or false"));
        c.add(config("config: data.maxRecordBytes as a quoted string", "cfg-max-string.yaml", "data.maxRecordBytes",
                "an integer"));
        c.add(config("config: loss parameter as a quoted string", "cfg-loss-string.yaml", "loss.q",
                "not a number"));
        c.add(config("config: YAML syntax error", "cfg-syntax.yaml", "not valid YAML", "line"));
        c.add(config("config: tab indentation", "cfg-tab.yaml", "not valid YAML", "cfg-tab.yaml"));
        c.add(config("config: not a mapping", "cfg-list.yaml", "must hold a YAML mapping"));
        c.add(config("config: for another job", "cfg-other-job.yaml", "job", "ultragcn"));
        c.add(config("config: unknown key", "cfg-unknown.yaml", "train.roundz", "unknown config key"));
        c.add(config("config: missing file", "no-such.yaml", "--config", "not found"));
        c.add(new Case("config: data.onBadRecord not fail/skip", 2, args("logreg", "k-policy",
                "data.generate=null", "data.path=" + d + "vec-nan.csv", "data.onBadRecord=ignore"),
                List.of("data.onBadRecord", "fail, skip")));
        c.add(new Case("config: data.maxRecordBytes 0", 2, args("logreg", "k-max0", "data.generate=null",
                "data.path=" + d + "vec-nan.csv", "data.maxRecordBytes=0"), List.of("data.maxRecordBytes: 0")));
        c.add(new Case("config: negative rounds", 2, args("logreg", "k-rounds", "train.rounds=-3"),
                List.of("train.rounds")));
        c.add(new Case("config: unknown preset", 2, List.of("train", "ultragcn", "--config", "preset:nope",
                "--output", out.toString(), "--run-id", "k-preset", "--master", "local[2]", "--no-progress"),
                List.of("--config", "preset:nope")));
        // command-line arguments
        c.add(new Case("cli: unknown job", 2, List.of("train", "no-such-job", "--output", out.toString()),
                List.of("no-such-job")));
        c.add(new Case("cli: unknown option", 2, List.of("train", "logreg", "--bogus"),
                List.of("--bogus", "concord train --help")));
        c.add(new Case("cli: missing job name", 2, List.of("train"), List.of("concord train --help")));
        c.add(new Case("cli: --set without '='", 2, args("logreg", "a-set", "train.rounds"),
                List.of("--set", "key=value")));
        c.add(new Case("cli: --set inside a value", 2, args("logreg", "a-nest", "train.rounds.x=1"),
                List.of("train.rounds", "is a value")));
        c.add(new Case("cli: run id with a path separator", 2, List.of("train", "logreg", "--output", out.toString(),
                "--run-id", "../escape", "--master", "local[2]"), List.of("--run-id", "../escape")));
        c.add(new Case("cli: run id starting with '_'", 2, List.of("train", "logreg", "--output", out.toString(),
                "--run-id", "_staging", "--master", "local[2]"), List.of("--run-id", "_staging")));
        c.add(new Case("cli: output is a file", 4, List.of("train", "logreg", "--output", d + "vec-nan.csv",
                "--run-id", "a-out", "--master", "local[2]", "--no-progress", "--set", "train.rounds=1"),
                List.of("vec-nan.csv")));
        return c.stream();
    }

    private static Case graph(String name, String where, String problem) {
        String file = where.contains(":") ? where.substring(0, where.indexOf(':')) : where;
        return new Case(name, 3, args("ultragcn", "g-" + file, "data.generate=null", "data.edges=" + data.resolve(
                file)), List.of(where, problem));
    }

    private static Case vectors(String name, String where, String problem) {
        String file = where.contains(":") ? where.substring(0, where.indexOf(':')) : where;
        return new Case(name, 3, args("logreg", "v-" + file, "data.generate=null", "data.path=" + data.resolve(file)),
                List.of(where, problem));
    }

    private static Case pairs(String name, String where, String problem) {
        String file = where.contains(":") ? where.substring(0, where.indexOf(':')) : where;
        return new Case(name, 3, prefArgs("p-" + file, "data.pairs=" + data.resolve(file)), List.of(where, problem));
    }

    private static Case moe(String name, String where, String problem) {
        String file = where.contains(":") ? where.substring(0, where.indexOf(':')) : where;
        return new Case(name, 3, args("moe", "m-" + file, "data.generate=null", "data.paths=[" + data.resolve(file)
                + "]", "data.vocabSize=50", "train.rounds=1"), List.of(where, problem));
    }

    private static Case calib(String name, String dir, String where, String problem) {
        return new Case(name, 3, args("calib", "c-" + dir, "data.generate=null", "data.path=" + data.resolve(dir),
                "data.testPath=" + data.resolve("calib-test"), "model.convChannels=[4]", "model.denseUnits=8",
                "train.rounds=1", "train.batchSize=4", "eval.every=1"), List.of(where, problem));
    }

    private static Case config(String name, String file, String... message) {
        return new Case(name, 2, List.of("train", "logreg", "--config", data.resolve(file).toString(), "--output",
                out.toString(), "--run-id", "k-" + file, "--master", "local[2]", "--no-progress"),
                List.of(message));
    }

    /** pref-align arguments; the SFT model is trained on first use. */
    private static List<String> prefArgs(String runId, String... sets) {
        List<String> s = new ArrayList<>(List.of("init.run=SFT", "model.hidden=null", "train.batchSize=4",
                "train.partitions=2", "train.rounds=1", "eval.every=1", "entanglement.every=0",
                "data.maxPromptTokens=12", "data.maxCompletionTokens=8"));
        s.addAll(Arrays.asList(sets));
        return args("pref-align", runId, s.toArray(String[]::new));
    }

    private static List<String> args(String job, String runId, String... sets) {
        List<String> a = new ArrayList<>(List.of("train", job, "--output", out.toString(), "--run-id", runId,
                "--master", "local[2]", "--no-progress"));
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        return a;
    }

    // ------------------------------------------------------------------------------------------------ tests

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void badInputFailsWithOneLineNamingTheCauseAndCommitsNothing(Case c) throws IOException {
        CliRun run = CliRun.of(c.args().stream().map(a -> a.equals("init.run=SFT") ? "init.run=" + sftRun() : a)
                .toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(c.exit());
        String err = run.err().strip();
        assertThat(err.lines()).as("one error line").hasSize(1);
        assertThat(err).startsWith("concord: error: ");
        for (String part : c.message()) {
            assertThat(err).contains(part);
        }
        assertThat(committedRuns()).isEmpty();
    }

    /** The HH-RLHF file shape: gzip JSONL of chosen/rejected transcripts with one malformed record. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void hhRlhfGzipFailsOnTheMalformedLineAndTrainsWithSkip() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            if (i == 16) {
                sb.append("{\"chosen\": \"\\n\\nHuman: broken\n");
                continue;
            }
            String shared = "\\n\\nHuman: Q" + i + " ok?\\n\\nAssistant: hmm\\n\\nHuman: sure?\\n\\nAssistant:";
            sb.append("{\"chosen\": \"").append(shared).append(" yes ").append(i % 7).append("\", \"rejected\": \"")
                    .append(shared).append(" no ").append(i % 5).append("\"}\n");
        }
        Path file = gzip("hh-rlhf.jsonl.gz", sb.toString());
        Path hhOut = tmp.resolve("hh-out");
        CliRun failed = CliRun.of(withOutput(prefArgs("hh-fail", "data.pairs=" + file), hhOut));
        assertThat(failed.exitCode()).as(failed.err()).isEqualTo(ConcordMain.BAD_INPUT);
        assertThat(failed.err().strip()).startsWith("concord: error: ").contains("hh-rlhf.jsonl.gz:17: not valid JSON");
        assertThat(hhOut.resolve("hh-fail")).doesNotExist();

        CliRun skipped = CliRun.of(withOutput(prefArgs("hh-skip", "data.pairs=" + file, "data.onBadRecord=skip"),
                hhOut));
        assertThat(skipped.exitCode()).as(skipped.err()).isZero();
        assertThat(skipped.out()).contains("skipped 1 bad record(s)").contains("hh-rlhf.jsonl.gz:17");
        JsonNode summary = new ObjectMapper().readTree(hhOut.resolve("hh-skip/summary.json").toFile());
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        JsonNode bad = summary.path("details").path("badRecords");
        assertThat(bad.path("skipped").asLong()).isEqualTo(1);
        assertThat(bad.path("first").get(0).asText()).contains("hh-rlhf.jsonl.gz:17: not valid JSON");
        assertThat(summary.path("rounds").asInt()).isEqualTo(1);
    }

    /** {@code args} writing under {@code output}, with the SFT model filled in. */
    private static String[] withOutput(List<String> args, Path output) {
        List<String> a = new ArrayList<>(args.stream()
                .map(x -> x.equals("init.run=SFT") ? "init.run=" + sftRun() : x).toList());
        a.set(a.indexOf("--output") + 1, output.toString());
        return a.toArray(String[]::new);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Committed run directories under the shared output (any {@code _SUCCESS} outside staging). */
    private static List<Path> committedRuns() throws IOException {
        if (!Files.exists(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(p -> p.getFileName().toString().equals("_SUCCESS"))
                    .filter(p -> !out.relativize(p).toString().startsWith("_staging")).toList();
        }
    }

    private static String goodPairs(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(pair("Q" + i + ": ok?", "yes " + (i % 7), "no " + (i % 5)));
        }
        return sb.toString();
    }

    private static String pair(String prompt, String chosen, String rejected) {
        return "{\"prompt\": \"" + prompt + "\", \"chosen\": \"" + chosen + "\", \"rejected\": \"" + rejected + "\"}\n";
    }

    private static String tokenLines(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("{\"tokens\": [").append(i % 7).append(", ").append(i % 11).append(", 3], \"domain\": \"")
                    .append(i % 2 == 0 ? "a" : "b").append("\"}\n");
        }
        return sb.toString();
    }

    private static String featureLines(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("{\"features\": [").append(i % 3).append(".5, 1.0], \"label\": ").append(i % 2).append("}\n");
        }
        return sb.toString();
    }

    /** {@code head} then {@code bad} (whose U+00FF becomes a lone 0xFF byte: invalid UTF-8). */
    private static byte[] bytes(String head, String bad, int badLine) {
        byte[] a = head.getBytes(StandardCharsets.UTF_8);
        byte[] b = bad.replace('\u00ff', '\u0001').getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 1) {
                b[i] = (byte) 0xFF;
            }
        }
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        assertThat(new String(all, StandardCharsets.UTF_8).split("\n", -1)[badLine - 1]).contains("\uFFFD");
        return all;
    }

    private static Path write(String name, String content) throws IOException {
        return Files.writeString(data.resolve(name), content);
    }

    private static Path writeBytes(String name, byte[] content) throws IOException {
        return Files.write(data.resolve(name), content);
    }

    private static Path gzip(String name, String content) throws IOException {
        CompressionCodec codec = ReflectionUtils.newInstance(GzipCodec.class, new Configuration());
        Path f = data.resolve(name);
        try (OutputStream o = codec.createOutputStream(Files.newOutputStream(f))) {
            o.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return f;
    }
}
