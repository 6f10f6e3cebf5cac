package io.concord.data.io;

import io.concord.core.model.LabeledVector;
import io.concord.data.DataException;
import io.concord.data.pref.PreferencePairReader;
import io.concord.data.pref.TextPair;
import io.concord.data.vector.LabeledVectorCsv;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.util.ReflectionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** InputFiles (listing, codecs), TextLines (line limit, strict UTF-8) and the skip policy of BadRecords. */
class TextInputTest {

    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path dir;

    private Path write(String name, byte[] content) throws IOException {
        java.nio.file.Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, content);
        return new Path(f.toUri());
    }

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private Path compressed(String name, Class<? extends CompressionCodec> type, String content) throws IOException {
        CompressionCodec codec = ReflectionUtils.newInstance(type, CONF);
        java.nio.file.Path f = dir.resolve(name);
        try (OutputStream out = codec.createOutputStream(Files.newOutputStream(f))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return new Path(f.toUri());
    }

    private static List<String> lines(TextLines in) {
        List<String> out = new ArrayList<>();
        try (in) {
            for (String l = in.next(); l != null; l = in.next()) {
                out.add(in.lineNumber() + ":" + l);
            }
        }
        return out;
    }

    private static TextLines lines(String content, long max, BadRecords bad) {
        return new TextLines("mem", new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), max, bad);
    }

    @Test
    void listsVisibleFilesInNameOrder() throws IOException {
        write("d/part-00001", "b");
        write("d/part-00000", "a");
        write("d/_SUCCESS", "");
        write("d/.part-00000.crc", "x");
        Files.createDirectories(dir.resolve("d/sub"));
        List<Path> files = InputFiles.list(new Path(dir.resolve("d").toUri()), CONF);
        assertThat(files).extracting(Path::getName).containsExactly("part-00000", "part-00001");
        Path single = write("one.csv", "x");
        assertThat(InputFiles.list(single, CONF)).extracting(Path::getName).containsExactly("one.csv");
    }

    @Test
    void missingPathAndEmptyDirectoryAreInputErrorsNamingTheKey() throws IOException {
        Path missing = new Path(dir.resolve("nope").toUri());
        assertThatThrownBy(() -> InputFiles.list(missing, CONF, "data.path")).isInstanceOf(DataException.class)
                .hasMessage(missing + ": input path does not exist (data.path)");
        write("empty/_SUCCESS", "");
        Path empty = new Path(dir.resolve("empty").toUri());
        assertThatThrownBy(() -> InputFiles.list(empty, CONF, "data.paths"))
                .hasMessage(empty + ": directory holds no data files (the dataset is empty) (data.paths)");
    }

    @Test
    void gzipAndBzip2ReadLikePlainText() throws IOException {
        String text = "0,1.0,2.0\n1,-0.5,3.25\n# comment\n2,7.0,8.0\n";
        List<LabeledVector> plain = LabeledVectorCsv.read(write("plain.csv", text), CONF);
        List<LabeledVector> gz = LabeledVectorCsv.read(compressed("v.csv.gz", GzipCodec.class, text), CONF);
        List<LabeledVector> bz = LabeledVectorCsv.read(compressed("v.csv.bz2", BZip2Codec.class, text), CONF);
        assertThat(plain).hasSize(3);
        for (List<LabeledVector> other : List.of(gz, bz)) {
            assertThat(other).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(other.get(i).features()).containsExactly(plain.get(i).features());
                assertThat(other.get(i).label()).isEqualTo(plain.get(i).label());
                assertThat(other.get(i).id()).isEqualTo(plain.get(i).id());
            }
        }
    }

    @Test
    void numbersLinesAndDropsCrAndByteOrderMark() {
        BadRecords fail = new BadRecords(OnBadRecord.FAIL);
        assertThat(lines(lines("\uFEFFa\r\n\nb\nc", 10, fail))).containsExactly("1:a", "2:", "3:b", "4:c");
        assertThat(lines(lines("", 10, fail))).isEmpty();
        assertThat(lines(lines("x\n", 10, fail))).containsExactly("1:x");
    }

    @Test
    void aLineOverTheLimitIsABadRecordFoundWithoutBufferingIt() {
        String content = "abcd\n" + "x".repeat(5_000_000) + "\nefgh\r\n";
        assertThatThrownBy(() -> lines(lines(content, 8, new BadRecords(OnBadRecord.FAIL))))
                .isInstanceOf(DataException.class)
                .hasMessage("mem:2: line longer than 8 bytes (data.maxRecordBytes)");
        BadRecords skip = new BadRecords(OnBadRecord.SKIP);
        // exactly at the limit (the \r does not count) passes
        assertThat(lines(lines(content, 4, skip))).containsExactly("1:abcd", "3:efgh");
        assertThat(skip.total()).isEqualTo(1);
        assertThat(skip.firstReasons()).containsExactly("mem:2: line longer than 4 bytes (data.maxRecordBytes)");
    }

    @Test
    void invalidUtf8IsABadRecordNeverAReplacementCharacter() {
        byte[] bytes = "ok é\nbad \u0000\nlast\n".getBytes(StandardCharsets.UTF_8);
        int nul = indexOf(bytes, (byte) 0);
        bytes[nul] = (byte) 0xC3; // a lead byte followed by '\n': truncated sequence
        byte[] finalBytes = bytes;
        assertThatThrownBy(() -> lines(new TextLines("f.txt", new ByteArrayInputStream(finalBytes), 100,
                new BadRecords(OnBadRecord.FAIL))))
                .isInstanceOf(DataException.class).hasMessage("f.txt:2: not valid UTF-8 (byte 5 of the line)");
        BadRecords skip = new BadRecords(OnBadRecord.SKIP);
        List<String> good = lines(new TextLines("f.txt", new ByteArrayInputStream(bytes), 100, skip));
        assertThat(good).containsExactly("1:ok é", "3:last");
        assertThat(String.join("", good)).doesNotContain("\uFFFD");
        assertThat(skip.countsBySource()).containsEntry("f.txt", 1L);
    }

    @Test
    void mergeCountsASourceReadTwiceOnce() {
        BadRecords a = new BadRecords(OnBadRecord.SKIP);
        a.reject("f1", 3, "bad");
        BadRecords again = new BadRecords(OnBadRecord.SKIP);
        again.reject("f1", 3, "bad");
        BadRecords b = new BadRecords(OnBadRecord.SKIP);
        for (int i = 1; i <= 7; i++) {
            b.reject("f2", i, "worse");
        }
        BadRecords total = new BadRecords(OnBadRecord.SKIP);
        total.merge(a);
        total.merge(b);
        total.merge(again);
        assertThat(total.total()).isEqualTo(8);
        assertThat(total.firstReasons()).hasSize(BadRecords.KEPT_REASONS).first().isEqualTo("f1:3: bad");
    }

    @Test
    void hhRlhfTranscriptsReadFromGzipWithTheSharedPrefixAsPrompt() throws IOException {
        String good = "{\"chosen\": \"\\n\\nHuman: What is 2+2?\\n\\nAssistant: 4.\\n\\nHuman: Sure?\\n\\nAssistant:"
                + " Yes, 4.\", \"rejected\": \"\\n\\nHuman: What is 2+2?\\n\\nAssistant: 4.\\n\\nHuman: Sure?\\n\\n"
                + "Assistant: No, 5.\"}";
        String same = "{\"chosen\": \"\\n\\nHuman: hi\\n\\nAssistant: yo\", \"rejected\": \"\\n\\nHuman: hi\\n\\n"
                + "Assistant: yo\"}";
        Path file = compressed("hh.jsonl.gz", GzipCodec.class, good + "\n" + same + "\n{\"chosen\": 1\n");
        assertThatThrownBy(() -> PreferencePairReader.read(file, CONF)).isInstanceOf(DataException.class)
                .hasMessage(file + ":2: chosen and rejected completions are identical");
        BadRecords skip = new BadRecords(OnBadRecord.SKIP);
        List<TextPair> pairs = PreferencePairReader.read(file, CONF, new ReadOptions(1 << 20, OnBadRecord.SKIP),
                skip);
        assertThat(pairs).containsExactly(new TextPair("\n\nHuman: What is 2+2?\n\nAssistant: 4.\n\nHuman: Sure?"
                + "\n\nAssistant:", " Yes, 4.", " No, 5."));
        assertThat(skip.total()).isEqualTo(2);
        assertThat(skip.firstReasons().get(1)).startsWith(file + ":3: not valid JSON");
    }

    @Test
    void emptyTextsAreBadPairs() throws IOException {
        Path p = write("e.jsonl", String.join("\n",
                "{\"prompt\": \"\", \"chosen\": \"a\", \"rejected\": \"b\"}",
                "{\"prompt\": \"q\", \"chosen\": \" \", \"rejected\": \"b\"}",
                "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"\"}",
                "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\"}"));
        BadRecords skip = new BadRecords(OnBadRecord.SKIP);
        assertThat(PreferencePairReader.read(p, CONF, ReadOptions.defaults(), skip))
                .containsExactly(new TextPair("q", "a", "b"));
        assertThat(skip.firstReasons()).containsExactly(p + ":1: empty prompt", p + ":2: empty chosen completion",
                p + ":3: empty rejected completion");
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        throw new AssertionError(Arrays.toString(a));
    }
}
