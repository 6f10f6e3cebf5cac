package io.concord.data.pref;

import io.concord.data.DataException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreferencePairReaderTest {

    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path dir;

    private Path write(String name, String content) throws IOException {
        java.nio.file.Path f = dir.resolve(name);
        Files.writeString(f, content);
        return new Path(f.toUri());
    }

    @Test
    void readsAllThreeShapes() throws IOException {
        Path f = write("pairs.jsonl", String.join("\n",
                "{\"prompt\": \"2+2?\", \"chosen\": \"4\", \"rejected\": \"5\"}",
                "",
                "{\"input\": {\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\","
                        + " \"content\": \"Hi\"}]}, \"preferred_output\": [{\"role\": \"assistant\", \"content\": \"Hello\"}],"
                        + " \"non_preferred_output\": [{\"role\": \"assistant\", \"content\": \"Go away\"}]}",
                "{\"chosen\": \"\\n\\nHuman: hi\\n\\nAssistant: hello\", \"rejected\": \"\\n\\nHuman: hi\\n\\nAssistant: no\"}"));
        List<TextPair> pairs = PreferencePairReader.read(f, CONF);
        assertThat(pairs).containsExactly(
                new TextPair("2+2?", "4", "5"),
                new TextPair("System: Be brief.\nUser: Hi\nAssistant: ", "Hello", "Go away"),
                new TextPair("\n\nHuman: hi\n\nAssistant:", " hello", " no"));
    }

    @Test
    void errorsNameFileAndLine() throws IOException {
        Path bad = write("bad.jsonl", "{\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\"}\n\n{\"prompt\": \"a\"");
        assertThatThrownBy(() -> PreferencePairReader.read(bad, CONF))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(bad + ":3: not valid JSON");
        Path missing = write("missing.jsonl", "{\"prompt\": \"a\", \"chosen\": \"b\"}\n");
        assertThatThrownBy(() -> PreferencePairReader.read(missing, CONF))
                .hasMessage(missing + ":1: missing field 'rejected'");
        Path role = write("role.jsonl", "{\"input\": {\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]},"
                + " \"preferred_output\": [{\"role\": \"user\", \"content\": \"y\"}], \"non_preferred_output\": []}\n");
        assertThatThrownBy(() -> PreferencePairReader.read(role, CONF))
                .hasMessage(role + ":1: preferred_output must end with an assistant message, got role 'user'");
        Path other = write("other.jsonl", "{\"question\": \"a\"}\n");
        assertThatThrownBy(() -> PreferencePairReader.read(other, CONF))
                .hasMessageContaining(":1: not a preference pair").hasMessageContaining("[question]");
        Path empty = write("empty.jsonl", "\n\n");
        assertThatThrownBy(() -> PreferencePairReader.read(empty, CONF)).hasMessageContaining("no records found");
    }

    @Test
    void readsADirectoryOfPartFiles() throws IOException {
        Files.createDirectories(dir.resolve("parts"));
        Files.writeString(dir.resolve("parts/part-00001"), "{\"prompt\": \"b\", \"chosen\": \"1\", \"rejected\": \"2\"}\n");
        Files.writeString(dir.resolve("parts/part-00000"), "{\"prompt\": \"a\", \"chosen\": \"1\", \"rejected\": \"2\"}\n");
        Files.writeString(dir.resolve("parts/_SUCCESS"), "");
        List<TextPair> pairs = PreferencePairReader.read(new Path(dir.resolve("parts").toUri()), CONF);
        assertThat(pairs).extracting(TextPair::prompt).containsExactly("a", "b");
    }

    @Test
    void readsTheOrcaValidationPairs() {
        java.nio.file.Path file = SharedData.dataset("orca_dpo_pairs_val").resolve("validation.jsonl");
        List<TextPair> pairs = PreferencePairReader.read(new Path(file.toUri()), CONF);
        // 284 lines in the copy of SOURCE.txt's commit (the reference document says 283)
        assertThat(pairs).hasSize(284);
        for (TextPair p : pairs) {
            assertThat(p.prompt()).startsWith("System: ").contains("\nUser: ").endsWith("\nAssistant: ");
            assertThat(p.chosen()).isNotEmpty();
            assertThat(p.rejected()).isNotEmpty();
        }
        assertThat(pairs.get(0).chosen()).startsWith("Step 1: Identify the names");
    }
}
