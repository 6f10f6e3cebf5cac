package io.concord.workload.pref;

import io.concord.testing.LocalSpark;
import io.concord.core.lm.CharVocabulary;
import io.concord.core.pref.PreferencePair;
import io.concord.data.pref.TextEncoder;
import io.concord.data.pref.TextPair;
import io.concord.data.pref.TofuQa;
import io.concord.workload.source.TableSource;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real datasets through the jobs' readers on local Spark (skipped when the shared folder is absent): the ORCA
 * pairs and their deterministic held-out split, and the TOFU splits the unlearning pipeline pairs up (also read
 * through Spark SQL: the same records in the same order).
 */
class PrefSharedDataTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start(2);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static Path dataset(String name) {
        Path p = Paths.get(System.getProperty("concord.shared", "../shared"), "datasets", name);
        Assumptions.assumeTrue(Files.isDirectory(p), "shared dataset " + p + " not present");
        return p;
    }

    @Test
    void orcaPairsSplitDeterministicallyByPrompt() {
        Path file = dataset("orca_dpo_pairs_val").resolve("validation.jsonl");
        JavaRDD<TextPair> pairs = PrefData.pairs(sc, file.toString()).cache();
        // 284 JSON lines (the last has no trailing newline, so `wc -l` counts 283)
        assertThat(pairs.count()).isEqualTo(284);
        List<TextPair> heldOut = pairs.filter(p -> HeldOut.isHeldOut(p.prompt(), 0.15)).collect();
        assertThat(heldOut.size()).isBetween(25, 60);
        assertThat(pairs.filter(p -> HeldOut.isHeldOut(p.prompt(), 0.15)).collect()).isEqualTo(heldOut);
        for (TextPair p : heldOut) {
            assertThat(p.prompt()).startsWith("System: ").endsWith("Assistant: ");
            assertThat(p.chosen()).isNotEqualTo(p.rejected());
        }
        CharVocabulary vocabulary = PrefData.vocabulary(pairs.flatMap(p -> List.of(p.prompt(), p.chosen(),
                p.rejected()).iterator()), 160);
        assertThat(vocabulary.size()).isEqualTo(163);
        TextEncoder encoder = new TextEncoder(vocabulary, 48, 64);
        List<PreferencePair> encoded = pairs.map(encoder::encode).collect();
        assertThat(encoded).allSatisfy(p -> {
            assertThat(p.prompt().length).isEqualTo(48);
            assertThat(p.chosen().length).isBetween(1, 64);
        });
        pairs.unpersist();
    }

    @Test
    void tofuSplitsHaveTheirDocumentedSizes() {
        String dir = dataset("tofu").toString();
        assertThat(PrefData.tofu(sc, dir, List.of("forget01")).count()).isEqualTo(40);
        assertThat(PrefData.tofu(sc, dir, List.of("forget10", "retain90")).count()).isEqualTo(4000);
        List<TofuQa> perturbed = PrefData.tofu(sc, dir, List.of("retain_perturbed")).take(3);
        assertThat(perturbed).allSatisfy(q -> assertThat(q.perturbedAnswers()).hasSize(5));
    }

    @Test
    void tofuSplitsThroughSparkSqlAreTheJsonRecordsInOrder() {
        String dir = dataset("tofu").toString();
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        List<String> splits = List.of("forget10", "retain90", "retain_perturbed");
        PrefUnlearnConfig.Data d = new PrefUnlearnConfig.Data(dir + "/{split}.json", null, null, null, null, null,
                null, null, null, null, null, "json", null, null, null, null);
        List<TableSource> tables = splits.stream().map(d::tofuSource).toList();
        List<TofuQa> fromSql = PrefData.tofu(spark, tables, d.columns(), null, splits, d.reading()).collect();
        List<TofuQa> fromJson = PrefData.tofu(sc, dir, splits).collect();
        assertThat(fromSql).hasSize(4400);
        assertThat(fromSql.stream().map(q -> q.question() + "\u0000" + q.answer()).toList())
                .isEqualTo(fromJson.stream().map(q -> q.question() + "\u0000" + q.answer()).toList());
    }
}
