package io.concord.data.pref;

import io.concord.core.lm.CharVocabulary;
import io.concord.core.pref.PreferencePair;
import io.concord.core.lm.PromptCompletion;
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

/** Tokenizer files over Hadoop FileSystem and text-to-token encoding with truncation. */
class EncodingTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void vocabularySavesAndLoadsOverHadoopFileSystem() throws IOException {
        CharVocabulary v = CharVocabulary.build(List.of("Question: 12+34\nAnswer: 46 é"), 200, 1);
        Path file = new Path(dir.resolve("vocab.txt").toUri());
        VocabularyFiles.save(v, file, new Configuration());
        assertThat(VocabularyFiles.load(file, new Configuration())).isEqualTo(v);
        Files.writeString(dir.resolve("bad.txt"), CharVocabulary.HEADER + "\n41\nzz\n");
        Path bad = new Path(dir.resolve("bad.txt").toUri());
        assertThatThrownBy(() -> VocabularyFiles.load(bad, new Configuration()))
                .isInstanceOf(DataException.class)
                .hasMessage(bad + ":3: 'zz' is not a hexadecimal code point");
    }

    @Test
    void promptsKeepTheirEndAndCompletionsTheirStart() {
        CharVocabulary v = CharVocabulary.build(List.of("abcdefgh"), 100, 1);
        TextEncoder enc = new TextEncoder(v, 3, 2);
        PromptCompletion pc = enc.encode("abcde", "fgh");
        assertThat(v.decode(pc.prompt())).isEqualTo("cde");
        assertThat(v.decode(pc.completion())).isEqualTo("fg");
        PreferencePair p = enc.encode(new TextPair("ab", "cdef", "g"));
        assertThat(v.decode(p.prompt())).isEqualTo("ab");
        assertThat(v.decode(p.chosen())).isEqualTo("cd");
        assertThat(v.decode(p.rejected())).isEqualTo("g");
        PromptCompletion qa = new TextEncoder(v, 100, 100).encode(TofuQa.of("ab", "cd"));
        assertThat(v.decode(qa.prompt())).isEqualTo("Question: ab\nAnswer: ".replaceAll("[^a-h]", "\uFFFD"));
        assertThatThrownBy(() -> new TextEncoder(v, -1, 2)).hasMessageStartingWith("data.max_prompt_tokens");
    }
}
