package io.concord.workload.pref;

import io.concord.testing.LocalSpark;
import io.concord.core.lm.CharVocabulary;
import io.concord.core.pref.PreferencePair;
import io.concord.core.pref.RankedResponses;
import io.concord.data.pref.TextEncoder;
import io.concord.data.pref.TextPair;
import io.concord.data.pref.TextRanked;
import io.concord.engine.Shard;
import io.concord.engine.Sharding;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records read from files on executors, encoded and sharded as the jobs do: every pair and every ranked group of the
 * input arrives whole in exactly one shard (the chosen and rejected completions, or all responses and scores of a
 * group, side by side in one record), and the character vocabulary counted in parallel is the one
 * {@link CharVocabulary#build} makes from the same texts.
 */
class PrefShardingTest {

    private static JavaSparkContext sc;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start(3);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void aPairIsNeverSplitAcrossPartitions() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("pairs"));
        List<TextPair> expected = new ArrayList<>();
        for (int file = 0; file < 3; file++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 11; i++) {
                TextPair p = new TextPair("q" + file + "-" + i + "?", "good " + file + i + " yes", "bad " + i + file);
                expected.add(p);
                sb.append(String.format("{\"prompt\": \"%s\", \"chosen\": \"%s\", \"rejected\": \"%s\"}%n",
                        p.prompt(), p.chosen(), p.rejected()));
            }
            Files.writeString(dir.resolve("part-" + file + ".jsonl"), sb.toString());
        }
        JavaRDD<TextPair> texts = PrefData.pairs(sc, dir.toString());
        CharVocabulary vocabulary = PrefData.vocabulary(texts.flatMap(p -> List.of(p.prompt(), p.chosen(),
                p.rejected()).iterator()), 100);
        List<String> all = new ArrayList<>();
        expected.forEach(p -> all.addAll(List.of(p.prompt(), p.chosen(), p.rejected())));
        assertThat(vocabulary).isEqualTo(CharVocabulary.build(all, 100, 1));

        TextEncoder encoder = new TextEncoder(vocabulary, 100, 100);
        JavaRDD<Shard<PreferencePair>> shards = Sharding.shard(texts.map(encoder::encode), 4, 5L,
                StorageLevel.MEMORY_AND_DISK_SER());
        Map<String, Integer> seen = new HashMap<>();
        for (Shard<PreferencePair> shard : shards.collect()) {
            for (PreferencePair p : shard.records()) {
                String key = vocabulary.decode(p.prompt()) + "|" + vocabulary.decode(p.chosen()) + "|"
                        + vocabulary.decode(p.rejected());
                seen.merge(key, 1, Integer::sum);
            }
        }
        Map<String, Integer> want = new HashMap<>();
        expected.forEach(p -> want.put(p.prompt() + "|" + p.chosen() + "|" + p.rejected(), 1));
        assertThat(seen).isEqualTo(want);
        assertThat(Sharding.sizes(shards)).containsExactlyInAnyOrder(9, 8, 8, 8);
    }

    @Test
    void aRankedGroupIsNeverSplitAcrossPartitions() throws IOException {
        StringBuilder sb = new StringBuilder();
        List<TextRanked> expected = new ArrayList<>();
        for (int g = 0; g < 10; g++) {
            int k = 2 + g % 4;
            List<String> responses = new ArrayList<>();
            double[] scores = new double[k];
            for (int j = 0; j < k; j++) {
                responses.add("r" + g + "_" + j);
                scores[j] = (g + j) % 3;
            }
            expected.add(new TextRanked("p" + g, responses, scores));
            sb.append("{\"prompt\": \"p").append(g).append("\", \"responses\": [\"")
                    .append(String.join("\", \"", responses)).append("\"], \"scores\": ")
                    .append(Arrays.toString(scores)).append("}\n");
        }
        Path file = Files.writeString(tmp.resolve("ranked.jsonl"), sb.toString());
        JavaRDD<TextRanked> texts = PrefData.ranked(sc, file.toString());
        CharVocabulary vocabulary = PrefData.vocabulary(texts.map(TextRanked::prompt)
                .union(texts.flatMap(t -> t.responses().iterator())), 50);
        TextEncoder encoder = new TextEncoder(vocabulary, 50, 50);
        JavaRDD<Shard<RankedResponses>> shards = Sharding.shard(texts.map(encoder::encode), 3, 9L,
                StorageLevel.MEMORY_AND_DISK_SER());
        List<TextRanked> got = new ArrayList<>();
        for (Shard<RankedResponses> shard : shards.collect()) {
            for (RankedResponses r : shard.records()) {
                List<String> responses = new ArrayList<>();
                for (int[] ids : r.responses()) {
                    responses.add(vocabulary.decode(ids));
                }
                got.add(new TextRanked(vocabulary.decode(r.prompt()), responses, r.scores()));
            }
        }
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
    }
}
