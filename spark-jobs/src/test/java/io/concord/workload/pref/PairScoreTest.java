package io.concord.workload.pref;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.cli.CliRunner;
import io.concord.job.ConcordSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * {@code concord score} of preference pairs with a committed preference LM: per pair the chosen and rejected
 * log-probabilities and the implicit reward margin. Against the run's own evaluation: over the pairs pref-align held
 * out, the mean margin is the run's {@code pairs.margin} and the share of positive margins its
 * {@code pairs.accuracyRef}; a model scored against itself has margin 0 and reference = policy log-probabilities.
 */
class PairScoreTest {

    @TempDir
    Path tmp;

    private static final String[] TINY = {"model.hidden=8", "train.batchSize=4", "train.partitions=2",
        "data.heldOutFraction=0.3", "data.maxPromptTokens=12", "data.maxCompletionTokens=8"};

    @Test
    void pairScoresReproduceTheRunsHeldOutMarginAndAccuracy() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append(String.format("{\"prompt\": \"Q%d: ok?\", \"chosen\": \"yes %d\", \"rejected\": \"no %d\"}%n",
                    i, i % 7, i % 5));
        }
        Path pairs = Files.writeString(tmp.resolve("pairs.jsonl"), sb.toString());
        Path out = tmp.resolve("out");
        CliRunner.Result sft = PrefCli.train(out, "pref-sft", "sft", PrefCli.concat(TINY, "data.source=pairs",
                "data.path=" + pairs, "train.rounds=3", "eval.every=3"));
        assertThat(sft.exitCode()).as(sft.err()).isZero();
        CliRunner.Result dpo = PrefCli.train(out, "pref-align", "dpo", PrefCli.concat(TINY, "data.pairs=" + pairs,
                "init.run=" + out.resolve("sft"), "model.hidden=null", "loss.name=dpo", "loss.beta=0.5",
                "optimizer.lr=0.05", "train.rounds=4", "eval.every=2", "entanglement.every=2",
                "entanglement.pairs=3"));
        assertThat(dpo.exitCode()).as(dpo.err()).isZero();
        assertThat(out.resolve("dpo/model/model.json")).content().contains("\"gru-language-model\"");

        CliRunner.Result score = CliRunner.run("score", "--model", out.resolve("dpo").toString(), "--input",
                pairs.toString(), "--output", tmp.resolve("scores").toString(), "--master", "local[2]");
        assertThat(score.exitCode()).as(score.err()).isZero();
        CliRunner.Result self = CliRunner.run("score", "--model", out.resolve("sft").toString(), "--reference",
                out.resolve("sft").toString(), "--input", pairs.toString(), "--output",
                tmp.resolve("self").toString(), "--master", "local[2]");
        assertThat(self.exitCode()).as(self.err()).isZero();

        JsonNode metrics = PrefCli.summary(out.resolve("dpo")).path("metrics");
        // evaluate on the held-out pairs of the training file: the run's evaluator, the run's numbers
        CliRunner.Result evaluate = CliRunner.run("evaluate", "--model", out.resolve("dpo").toString(), "--data",
                pairs.toString(), "--held-out", "--master", "local[2]");
        assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
        JsonNode evaluated = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                evaluate.out().substring(evaluate.out().indexOf('{'))).path("metrics");
        for (String k : List.of("pairs.accuracy", "pairs.margin", "pairs.accuracyLenNorm", "pairs.accuracyRef",
                "pairs.logpChosen", "pairs.logpRejected")) {
            assertThat(evaluated.path(k).isNumber()).as(k).isTrue();
            assertThat(evaluated.path(k).asDouble()).as(k).isEqualTo(metrics.path(k).asDouble());
        }
        try (SparkSession spark = ConcordSpark.session(ConcordSpark.conf("local[2]", "concord-test",
                Map.of("spark.ui.enabled", "false", "spark.kryo.registrationRequired", "false")))) {
            List<Row> rows = spark.read().parquet(tmp.resolve("scores").toString()).collectAsList();
            assertThat(rows).hasSize(40);
            double marginSum = 0;
            int heldOut = 0;
            int positive = 0;
            for (Row r : rows) {
                double lc = r.getDouble(r.fieldIndex("logp_chosen"));
                double lr = r.getDouble(r.fieldIndex("logp_rejected"));
                double rc = r.getDouble(r.fieldIndex("ref_logp_chosen"));
                double rr = r.getDouble(r.fieldIndex("ref_logp_rejected"));
                double margin = r.getDouble(r.fieldIndex("margin"));
                assertThat(lc).isNegative();
                assertThat(margin).isEqualTo(0.5 * ((lc - rc) - (lr - rr)), offset(1e-12));
                if (HeldOut.isHeldOut(r.getString(0), 0.3)) {
                    heldOut++;
                    marginSum += margin;
                    positive += margin > 0 ? 1 : 0;
                }
            }
            assertThat(heldOut).isGreaterThan(3);
            assertThat(marginSum / heldOut).isEqualTo(metrics.path("pairs.margin").asDouble(), offset(1e-9));
            assertThat((double) positive / heldOut).isEqualTo(metrics.path("pairs.accuracyRef").asDouble());

            for (Row r : spark.read().parquet(tmp.resolve("self").toString()).collectAsList()) {
                assertThat(r.getDouble(r.fieldIndex("margin"))).isZero();
                assertThat(r.getDouble(r.fieldIndex("ref_logp_chosen")))
                        .isEqualTo(r.getDouble(r.fieldIndex("logp_chosen")));
            }
        }
    }
}
