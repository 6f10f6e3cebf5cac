package io.concord.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code data.onBadRecord: skip} through the CLI for vectors, interaction edges and token sequences: a file with bad
 * lines trains to exactly the parameters of the same file with those lines blank (a skipped record is dropped, never
 * changed, and the other records keep their line numbers), and {@code summary.json} counts the skipped lines.
 */
class SkipBadRecordsCliTest {

    private static final String BAD_UTF8 = "\u0001";

    @TempDir
    Path tmp;

    /** Writes {@code lines} (1-based line i = lines.apply(i)) twice: as given, and with the bad lines blank. */
    private Path[] dirtyAndClean(String name, int count, IntFunction<String> lines, Map<Integer, String> bad)
            throws IOException {
        StringBuilder dirty = new StringBuilder();
        StringBuilder clean = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            String line = bad.containsKey(i) ? bad.get(i) : lines.apply(i);
            dirty.append(line).append('\n');
            clean.append(bad.containsKey(i) ? "" : line).append('\n');
        }
        return new Path[] {bytes(tmp.resolve("dirty-" + name), dirty.toString()),
            bytes(tmp.resolve("clean-" + name), clean.toString())};
    }

    /** Writes {@code text} as UTF-8, with each {@code \u0001} replaced by the invalid byte 0xFF. */
    private static Path bytes(Path file, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 1) {
                b[i] = (byte) 0xFF;
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(b);
        }
        return file;
    }

    private CliRun train(String job, String runId, String... sets) {
        List<String> args = new ArrayList<>(List.of("train", job, "--output", tmp.resolve("out").toString(),
                "--run-id", runId, "--master", "local[2]", "--no-progress"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        return CliRun.of(args.toArray(String[]::new));
    }

    private void assertSameModelAndSkipped(String job, Path[] files, String dataKey, long skipped,
                                           String firstReason, String... sets) throws IOException {
        String[] dirty = concat(sets, dataKey + "=" + wrap(dataKey, files[0]), "data.onBadRecord=skip");
        String[] clean = concat(sets, dataKey + "=" + wrap(dataKey, files[1]));
        CliRun failing = train(job, job + "-fail", concat(sets, dataKey + "=" + wrap(dataKey, files[0])));
        assertThat(failing.exitCode()).as(failing.err()).isEqualTo(ConcordMain.BAD_INPUT);
        assertThat(failing.err().strip()).startsWith("concord: error: ").contains(firstReason);

        CliRun d = train(job, job + "-dirty", dirty);
        assertThat(d.exitCode()).as(d.err()).isZero();
        CliRun c = train(job, job + "-clean", clean);
        assertThat(c.exitCode()).as(c.err()).isZero();
        Path out = tmp.resolve("out");
        assertThat(Files.readAllBytes(out.resolve(job + "-dirty/model/params.bin")))
                .isEqualTo(Files.readAllBytes(out.resolve(job + "-clean/model/params.bin")));
        JsonNode bad = new ObjectMapper().readTree(out.resolve(job + "-dirty/summary.json").toFile())
                .path("details").path("badRecords");
        assertThat(bad.path("skipped").asLong()).isEqualTo(skipped);
        assertThat(bad.path("bySource").path("file:" + files[0]).asLong()).isEqualTo(skipped);
        assertThat(bad.path("first").get(0).asText()).contains(firstReason);
        assertThat(new ObjectMapper().readTree(out.resolve(job + "-clean/summary.json").toFile()).path("details")
                .has("badRecords")).isFalse();
        assertThat(d.out()).contains("skipped " + skipped + " bad record(s)");
    }

    private static String wrap(String key, Path file) {
        return key.equals("data.paths") ? "[" + file + "]" : file.toString();
    }

    @Test
    void labelledVectors() throws IOException {
        Path[] files = dirtyAndClean("vectors.csv", 300,
                i -> (i % 3) + "," + ((i * 7) % 11 - 5) * 0.25 + "," + ((i * 5) % 13 - 6) * 0.5 + "," + (i % 3),
                Map.of(40, "1,abc,2,3", 77, "2,1.0,2.0," + BAD_UTF8, 150, "0," + "1.0,".repeat(60) + "1.0",
                        151, "1,2.0"));
        assertSameModelAndSkipped("logreg", files, "data.path", 4, "dirty-vectors.csv:40: feature 1 'abc'",
                "data.generate=null", "data.maxRecordBytes=200", "train.rounds=3", "train.batchSize=16",
                "eval.every=3");
    }

    @Test
    void interactionEdges() throws IOException {
        Path[] files = dirtyAndClean("edges.csv", 400, i -> (i % 40) + "," + ((i * 13) % 30),
                Map.of(10, "3,x", 200, "5,7,NaN", 333, BAD_UTF8 + ",1"));
        assertSameModelAndSkipped("ultragcn", files, "data.edges", 3, "dirty-edges.csv:10: item id 'x'",
                "data.generate=null", "ultragcn.embedding_dim=4", "ultragcn.ii_neighbor_num=3",
                "ultragcn.negative_num=2", "train.rounds=2", "train.batchSize=32", "eval.every=2");
    }

    @Test
    void tokenSequences() throws IOException {
        Path[] files = dirtyAndClean("tokens.jsonl", 120,
                i -> "{\"tokens\": [" + (i % 7) + ", " + (i % 11) + ", " + (i % 5) + ", 3], \"domain\": \""
                        + (i % 2 == 0 ? "a" : "b") + "\"}",
                Map.of(5, "{\"tokens\": [1, 2", 60, "{\"tokens\": [1, 99]}", 90, "{\"features\": [1.0], \"label\": 0}"));
        assertSameModelAndSkipped("moe", files, "data.paths", 3, "dirty-tokens.jsonl:5: invalid JSON",
                "data.generate=null", "data.vocabSize=20", "model.modelDim=8", "model.experts=4", "model.topK=2",
                "model.expertHidden=8", "train.rounds=2", "train.partitions=2", "train.batchSize=3",
                "eval.every=2");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
