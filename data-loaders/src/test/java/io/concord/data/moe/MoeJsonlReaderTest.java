package io.concord.data.moe;

import io.concord.core.moe.MoeExample;
import io.concord.data.DataException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoeJsonlReaderTest {

    @TempDir
    java.nio.file.Path dir;
    private FileSystem fs;

    @BeforeEach
    void localFs() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
    }

    private Path file(String name, String... lines) throws IOException {
        java.nio.file.Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return new Path(p.toUri());
    }

    @Test
    void generatedDataRoundTripsThroughWriterAndReader() throws IOException {
        FeatureDomains gen = new FeatureDomains(new FeatureDomains.Config(4, 5, 3, 2.0, 0.0), 1);
        List<MoeExample> xs = gen.examples(0, 50);
        Path path = new Path(dir.resolve("features.jsonl").toUri());
        MoeJsonlWriter.write(fs, path, xs, gen.domainNames());
        assertThat(MoeJsonlReader.scanDomains(fs, path)).isEqualTo(gen.domainNames());
        assertThat(new MoeJsonlReader(gen.domainNames(), 0).read(fs, path)).isEqualTo(xs);

        TokenDomains tok = new TokenDomains(new TokenDomains.Config(4, 40, 4, 6, 2, 0.1, 0.0), 1);
        List<MoeExample> seqs = tok.examples(0, 30);
        Path tpath = new Path(dir.resolve("tokens.jsonl").toUri());
        MoeJsonlWriter.write(fs, tpath, seqs, tok.domainNames());
        assertThat(new MoeJsonlReader(tok.domainNames(), 40).read(fs, tpath)).isEqualTo(seqs);
    }

    @Test
    void textBecomesUtf8BytesAndDomainIsOptional() throws IOException {
        Path p = file("text.jsonl", "{\"text\": \"hé\", \"domain\": \"zh\"}", "", "{\"text\": \"a\"}",
                "{\"text\": \"b\", \"domain\": 7}");
        List<MoeExample> xs = new MoeJsonlReader(List.of("7", "zh"), 0).read(fs, p);
        assertThat(xs).hasSize(3);
        assertThat(xs.get(0).tokens()).containsExactly('h', 0xC3, 0xA9);
        assertThat(xs.get(0).domain()).isEqualTo(1);
        assertThat(xs.get(1).domain()).isEqualTo(MoeExample.UNKNOWN_DOMAIN);
        assertThat(xs.get(2).domain()).isEqualTo(0);
        assertThat(MoeJsonlReader.scanDomains(fs, p)).containsExactly("7", "zh");
    }

    @Test
    void directoriesAreReadInNameOrderSkippingHiddenFilesAndGzipIsDecoded() throws IOException {
        java.nio.file.Path sub = Files.createDirectory(dir.resolve("data"));
        Files.writeString(sub.resolve("b.jsonl"), "{\"tokens\": [2], \"domain\": \"x\"}\n");
        Files.writeString(sub.resolve("_SUCCESS"), "");
        Files.writeString(sub.resolve(".a.crc"), "junk");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(sub.resolve("a.jsonl.gz")))) {
            out.write("{\"tokens\": [1, 1], \"domain\": \"x\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        List<MoeExample> xs = new MoeJsonlReader(List.of("x"), 0).read(fs, new Path(sub.toUri()));
        assertThat(xs).extracting(x -> x.tokens().length).containsExactly(2, 1);
    }

    @Test
    void errorsNameTheFileAndLine() throws IOException {
        MoeJsonlReader reader = new MoeJsonlReader(List.of("a", "b"), 10);
        String ok = "{\"features\": [1, 2], \"label\": 0, \"domain\": \"a\"}";
        assertError(reader, file("bad-json.jsonl", ok, "{\"features\": [1,"), "bad-json.jsonl:2: invalid JSON");
        assertError(reader, file("none.jsonl", "{\"domain\": \"a\"}"), "none.jsonl:1: expected exactly one of");
        assertError(reader, file("two.jsonl", "{\"text\": \"x\", \"tokens\": [1]}"), "two.jsonl:1:");
        assertError(reader, file("mixed.jsonl", ok, "", "{\"text\": \"x\"}"),
                "mixed.jsonl:3: record has \"text\" but the first record");
        assertError(reader, file("dim.jsonl", ok, "{\"features\": [1, 2, 3], \"label\": 0}"),
                "dim.jsonl:2: \"features\" has 3 values");
        assertError(reader, file("domain.jsonl", ok, "{\"features\": [1, 2], \"label\": 1, \"domain\": \"c\"}"),
                "domain.jsonl:2: unknown domain 'c'");
        assertError(reader, file("label.jsonl", "{\"features\": [1, 2], \"label\": 1.5}"),
                "label.jsonl:1: \"features\" records need an integer \"label\"");
        assertError(reader, file("nan.jsonl", "{\"features\": [1, \"x\"], \"label\": 1}"),
                "nan.jsonl:1: \"features\"[1] is not a finite number");
        assertError(reader, file("vocab.jsonl", "{\"tokens\": [1, 10]}"), "vocab.jsonl:1: \"tokens\"[1] must be");
        assertError(reader, file("array.jsonl", "[1, 2]"), "array.jsonl:1: expected a JSON object");
    }

    private void assertError(MoeJsonlReader reader, Path p, String message) {
        assertThatThrownBy(() -> reader.read(fs, p)).isInstanceOf(DataException.class)
                .hasMessageContaining(message);
    }
}
