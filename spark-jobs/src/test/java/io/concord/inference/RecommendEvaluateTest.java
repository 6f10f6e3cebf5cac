package io.concord.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import io.concord.config.ConfigLoader;
import io.concord.core.metric.RankingAccumulator;
import io.concord.core.metric.RankingResult;
import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.data.graph.AdjacencyListFormat;
import io.concord.data.graph.SyntheticGraphSpec;
import io.concord.data.graph.SyntheticInteractionGraphs;
import io.concord.engine.checkpoint.FloatArrays;
import io.concord.job.ConcordSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * The recommender models out and back in: {@code train ultragcn} writes Parquet factor tables, id maps and a
 * manifest; {@code evaluate} on those tables reproduces the run's recall@20/ndcg@20 exactly; {@code recommend}'s
 * top-20 lists are the rankings the evaluator scores (scoring them gives the same metrics) and are each user's best
 * 20 unseen items by a brute-force recomputation of the dot products, ties to the lower item index; ALS leaves an
 * {@code ALSModel} that {@code ALSModel.load} reads, with the same factors as its tables.
 */
class RecommendEvaluateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private InteractionGraph writeSplit() throws IOException {
        InteractionGraph g = SyntheticInteractionGraphs.generate(
                new SyntheticGraphSpec(300, 200, 8, 12, 2.5, 0.8, 0.8, 0.2), 5);
        Configuration conf = new Configuration();
        AdjacencyListFormat.write(g.train(), hadoop(tmp.resolve("train.txt")), conf, true);
        AdjacencyListFormat.write(g.test(), hadoop(tmp.resolve("test.txt")), conf, true);
        return AdjacencyListFormat.readSplit(hadoop(tmp.resolve("train.txt")), hadoop(tmp.resolve("test.txt")), conf);
    }

    /** The Hadoop path of a local file (the two {@code Path} classes share a name). */
    static org.apache.hadoop.fs.Path hadoop(Path local) {
        return new org.apache.hadoop.fs.Path(local.toUri());
    }

    private static CliRunner.Result ok(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    @Test
    void ultraGcnFactorsEvaluateExactlyAndRecommendTheEvaluatedRanking() throws IOException {
        InteractionGraph g = writeSplit();
        String out = tmp.resolve("out").toString();
        ok("train", "ultragcn", "--output", out, "--run-id", "ugcn", "--master", "local[2]", "--no-progress",
                "--set", "data.generate=null", "--set", "data.train=" + tmp.resolve("train.txt"),
                "--set", "data.test=" + tmp.resolve("test.txt"),
                "--set", "ultragcn.embedding_dim=16", "--set", "ultragcn.negative_num=20",
                "--set", "ultragcn.negative_weight=20", "--set", "train.batchSize=128", "--set", "epochs=4",
                "--set", "eval.every=2", "--set", "eval.userBlock=64");
        Path run = tmp.resolve("out/ugcn");
        JsonNode manifest = JSON.readTree(run.resolve("model/model.json").toFile());
        assertThat(manifest.path("job").asText()).isEqualTo("ultragcn");
        assertThat(manifest.path("modelType").asText()).isEqualTo("dot-product-factors");
        assertThat(manifest.path("runId").asText()).isEqualTo("ugcn");
        JsonNode effective = ConfigLoader.parse(Files.newInputStream(run.resolve("config.effective.yaml")),
                "config.effective.yaml");
        assertThat(manifest.path("configHash").asText()).hasSize(64)
                .isEqualTo(effective.path("provenance").path("configHash").asText());
        assertThat(manifest.path("shapes").path("users").asInt()).isEqualTo(g.numUsers());
        assertThat(manifest.path("shapes").path("items").asInt()).isEqualTo(g.numItems());
        assertThat(manifest.path("shapes").path("dim").asInt()).isEqualTo(16);
        assertThat(manifest.path("idMaps").path("user").asText()).isEqualTo("user-ids.idmap");
        assertThat(run.resolve("model/user-ids.idmap")).exists();
        assertThat(manifest.path("versions").path("concord").isTextual()).isTrue();
        JsonNode trained = JSON.readTree(run.resolve("summary.json").toFile()).path("metrics");

        CliRunner.Result eval = ok("evaluate", "--model", run.toString(), "--data",
                tmp.resolve("test.txt").toString(), "--output", tmp.resolve("eval").toString(), "--master",
                "local[2]");
        JsonNode m = JSON.readTree(tmp.resolve("eval/metrics.json").toFile()).path("metrics");
        assertThat(m.path("recall@20").asDouble()).isEqualTo(trained.path("recall@20").asDouble());
        assertThat(m.path("ndcg@20").asDouble()).isEqualTo(trained.path("ndcg@20").asDouble());
        assertThat(m.path("precision@20").asDouble()).isEqualTo(trained.path("precision@20").asDouble());
        assertThat(eval.out()).contains("\"recall@20\"");
        assertThat(tmp.resolve("eval/_SUCCESS")).exists();

        ok("recommend", "--model", run.toString(), "--k", "20", "--output", tmp.resolve("recs").toString(),
                "--master", "local[2]", "--block-users", "37");
        ok("recommend", "--model", run.toString(), "--k", "20", "--include-seen", "--output",
                tmp.resolve("recs-seen").toString(), "--master", "local[2]");
        CliRunner.Result again = ok("recommend", "--model", run.toString(), "--output",
                tmp.resolve("recs").toString(), "--master", "local[2]");
        assertThat(again.out()).contains("already committed");

        float[] params = read(run.resolve("model/best-params.bin"));
        int dim = 16;
        int itemBase = g.numUsers() * dim;
        try (SparkSession spark = session()) {
            Map<Long, List<Row>> lists = byUser(spark.read().parquet(tmp.resolve("recs").toString())
                    .collectAsList());
            assertThat(lists).hasSize(g.numUsers());
            RankingAccumulator acc = new RankingAccumulator(20);
            for (int u = 0; u < g.numUsers(); u++) {
                List<Row> rows = lists.get((long) u);
                int[] ranked = new int[rows.size()];
                for (int p = 0; p < rows.size(); p++) {
                    assertThat(rows.get(p).getInt(1)).isEqualTo(p + 1);
                    ranked[p] = (int) rows.get(p).getLong(2);
                }
                assertThat(ranked.length).isEqualTo(Math.min(20, g.numItems() - g.train().degree(u)));
                checkIsTopUnseen(params, itemBase, dim, g, u, rows);
                acc.addUser(ranked, ranked.length, g.test().columnArray(), g.test().rowStart(u),
                        g.test().rowEnd(u));
            }
            RankingResult r = acc.result(RankingAccumulator.Averaging.ALL_USERS);
            assertThat(r.recall()).isEqualTo(trained.path("recall@20").asDouble(), offset(1e-12));
            assertThat(r.ndcg()).isEqualTo(trained.path("ndcg@20").asDouble(), offset(1e-12));

            Map<Long, List<Row>> withSeen = byUser(spark.read().parquet(tmp.resolve("recs-seen").toString())
                    .collectAsList());
            long seenListed = 0;
            for (int u = 0; u < g.numUsers(); u++) {
                for (Row row : withSeen.get((long) u)) {
                    seenListed += g.train().contains(u, (int) row.getLong(2)) ? 1 : 0;
                }
            }
            assertThat(seenListed).isGreaterThan(0);
        }
    }

    /** The rows are the 20 best unseen items by double-precision dot products, ties to the lower item index. */
    private static void checkIsTopUnseen(float[] p, int itemBase, int dim, InteractionGraph g, int u,
                                         List<Row> rows) {
        double[] score = new double[g.numItems()];
        for (int j = 0; j < g.numItems(); j++) {
            double s = 0;
            for (int d = 0; d < dim; d++) {
                s += (double) p[u * dim + d] * p[itemBase + j * dim + d];
            }
            score[j] = s;
        }
        double last = Double.POSITIVE_INFINITY;
        Set<Integer> listed = new HashSet<>();
        for (Row row : rows) {
            int item = (int) row.getLong(2);
            assertThat(g.train().contains(u, item)).as("train item %d listed for user %d", item, u).isFalse();
            assertThat((double) row.getFloat(3)).isEqualTo(score[item], offset(1e-5));
            assertThat(score[item]).isLessThanOrEqualTo(last + 1e-5);
            last = score[item];
            listed.add(item);
        }
        for (int j = 0; j < g.numItems(); j++) {
            if (!listed.contains(j) && !g.train().contains(u, j)) {
                assertThat(score[j]).as("unlisted item %d of user %d", j, u).isLessThanOrEqualTo(last + 1e-5);
            }
        }
    }

    @Test
    void alsWritesAnAlsModelThatLoadsWithTheFactorsOfItsTables() throws IOException {
        String out = tmp.resolve("out").toString();
        ok("train", "als", "--output", out, "--run-id", "als", "--master", "local[2]", "--no-progress",
                "--set", "seed=7", "--set", "data.generate.users=120", "--set", "data.generate.items=80",
                "--set", "data.generate.clusters=4", "--set", "data.generate.meanDegree=10",
                "--set", "als.rank=6", "--set", "als.regParam=0.1", "--set", "als.alpha=[1.0]",
                "--set", "als.maxIter=3");
        Path run = tmp.resolve("out/als");
        JsonNode manifest = JSON.readTree(run.resolve("model/model.json").toFile());
        assertThat(manifest.path("modelType").asText()).isEqualTo("dot-product-factors");
        assertThat(manifest.path("shapes").path("dim").asInt()).isEqualTo(6);
        ok("recommend", "--model", run.toString(), "--k", "5", "--output", tmp.resolve("recs").toString(),
                "--master", "local[2]");
        try (SparkSession spark = session()) {
            ALSModel als = ALSModel.load(run.resolve("model/als-model").toString());
            assertThat(als.rank()).isEqualTo(6);
            Map<Integer, List<Float>> fromAls = new HashMap<>();
            for (Row r : als.userFactors().collectAsList()) {
                fromAls.put(r.getInt(0), r.getList(1));
            }
            List<Row> table = spark.read().parquet(run.resolve("model/user-factors.parquet").toString())
                    .select("id", "index", "vector").collectAsList();
            assertThat(table).hasSize(120);
            int compared = 0;
            for (Row r : table) {
                assertThat(r.getLong(0)).isEqualTo(r.getInt(1));
                List<Float> expected = fromAls.get(r.getInt(1));
                if (expected != null) {
                    assertThat(r.<Float>getList(2)).containsExactlyElementsOf(expected);
                    compared++;
                }
            }
            assertThat(compared).isEqualTo(fromAls.size()).isGreaterThan(100);
            assertThat(spark.read().parquet(tmp.resolve("recs").toString()).count()).isEqualTo(120 * 5);
        }
    }

    /** A session that reads Parquet with schema inference (as the inference commands do: no Kryo registration). */
    static SparkSession session() {
        return ConcordSpark.session(ConcordSpark.conf("local[2]", "concord-test",
                Map.of("spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "4",
                        "spark.kryo.registrationRequired", "false")));
    }

    static Map<Long, List<Row>> byUser(List<Row> rows) {
        Map<Long, List<Row>> out = new HashMap<>();
        for (Row r : rows) {
            out.computeIfAbsent(r.getLong(0), x -> new ArrayList<>()).add(r);
        }
        out.values().forEach(l -> l.sort((a, b) -> Integer.compare(a.getInt(1), b.getInt(1))));
        return out;
    }

    static float[] read(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return FloatArrays.read(in, p.toString());
        }
    }
}
