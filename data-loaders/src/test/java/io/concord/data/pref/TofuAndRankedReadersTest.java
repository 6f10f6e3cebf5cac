package io.concord.data.pref;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TofuAndRankedReadersTest {

    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path dir;

    private Path write(String name, String content) throws IOException {
        java.nio.file.Path f = dir.resolve(name);
        Files.writeString(f, content);
        return new Path(f.toUri());
    }

    @Test
    void realTofuSplitsHaveTheirDocumentedSizesAndFields() {
        Path tofu = new Path(SharedData.dataset("tofu").toUri());
        Map<String, Integer> sizes = Map.ofEntries(Map.entry("forget01", 40), Map.entry("forget05", 200),
                Map.entry("forget10", 400), Map.entry("retain90", 3600), Map.entry("retain95", 3800),
                Map.entry("retain99", 3960), Map.entry("real_authors", 100), Map.entry("world_facts", 117),
                Map.entry("forget01_perturbed", 40), Map.entry("forget05_perturbed", 200),
                Map.entry("forget10_perturbed", 400), Map.entry("retain_perturbed", 400),
                Map.entry("real_authors_perturbed", 100), Map.entry("world_facts_perturbed", 117));
        for (var e : sizes.entrySet()) {
            assertThat(TofuReader.split(tofu, e.getKey(), CONF)).as(e.getKey()).hasSize(e.getValue());
        }
        TofuQa perturbed = TofuReader.split(tofu, "forget01_perturbed", CONF).get(0);
        assertThat(perturbed.paraphrasedAnswer()).isNotNull();
        assertThat(perturbed.paraphrasedQuestion()).isNotNull();
        assertThat(perturbed.perturbedAnswers()).hasSize(5);
        TofuQa plain = TofuReader.split(tofu, "forget01", CONF).get(0);
        assertThat(plain.question()).isEqualTo(perturbed.question());
        assertThat(plain.paraphrasedAnswer()).isNull();
        TofuQa mc = TofuReader.split(tofu, "real_authors", CONF).get(0);
        assertThat(mc.options()).hasSize(4).contains(mc.answer());
        assertThat(TofuReader.split(tofu, "world_facts_perturbed", CONF).get(0).perturbedAnswers()).hasSize(3);
        // forget05 and retain95 partition the same 4000 authors' questions
        String[] names = TofuReader.forgetRetainNames(5);
        assertThat(names).containsExactly("forget05", "retain95");
        List<TofuQa> forget = TofuReader.split(tofu, names[0], CONF);
        List<TofuQa> retain = TofuReader.split(tofu, names[1], CONF);
        assertThat(retain).doesNotContainAnyElementsOf(forget);
    }

    @Test
    void jsonArrayLayoutWithLineNumbers() throws IOException {
        Path arr = write("split.json", "\n[\n  {\"question\": \"q1\", \"answer\": \"a1\"},\n"
                + "  {\"question\": \"q2\", \"answer\": \"a2\", \"perturbed_answer\": [\"x\", \"y\"]}\n]\n");
        List<TofuQa> qa = TofuReader.read(arr, CONF);
        assertThat(qa).hasSize(2);
        assertThat(qa.get(1).perturbedAnswers()).containsExactly("x", "y");
        Path bad = write("bad.json", "[\n {\"question\": \"q1\", \"answer\": \"a1\"},\n {\"question\": \"q2\"}\n]");
        assertThatThrownBy(() -> TofuReader.read(bad, CONF)).hasMessage(bad + ":3: missing field 'answer'");
        Path wrongType = write("type.json", "{\"question\": \"q\", \"answer\": 4}\n");
        assertThatThrownBy(() -> TofuReader.read(wrongType, CONF))
                .hasMessage(wrongType + ":1: field 'answer' must be a string, got NUMBER");
        Path blank = write("blank.json", "{\"question\": \"q\", \"answer\": \"a\"}\n"
                + "{\"question\": \"q\", \"answer\": \" \"}\n");
        assertThatThrownBy(() -> TofuReader.read(blank, CONF)).hasMessage(blank + ":2: field 'answer' is empty");
        assertThatThrownBy(() -> TofuReader.forgetRetainNames(3)).hasMessageStartingWith("tofu.forget_percent");
    }

    @Test
    void rankedLists() throws IOException {
        Path f = write("ranked.jsonl", "{\"prompt\": \"p\", \"responses\": [\"a\", \"b\", \"c\"], \"scores\": [2, 0.5, 1]}\n"
                + "{\"prompt\": \"p\", \"responses\": [\"a\"], \"scores\": [1, 2]}\n");
        assertThatThrownBy(() -> RankedListReader.read(f, CONF)).hasMessage(f + ":2: 1 responses but 2 scores");
        Path ok = write("ok.jsonl", "{\"prompt\": \"p\", \"responses\": [\"a\", \"b\"], \"scores\": [2, 0.5]}\n");
        TextRanked r = RankedListReader.read(ok, CONF).get(0);
        assertThat(r.responses()).containsExactly("a", "b");
        assertThat(r.scores()).containsExactly(2.0, 0.5);
        Path nan = write("nan.jsonl", "{\"prompt\": \"p\", \"responses\": [\"a\"], \"scores\": [\"high\"]}\n");
        assertThatThrownBy(() -> RankedListReader.read(nan, CONF))
                .hasMessage(nan + ":1: scores[0] must be a finite number, got \"high\"");
    }
}
