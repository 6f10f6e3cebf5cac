package io.concord.workload.als;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.cli.CliRunner;
import io.concord.core.metric.DotProductRanker;
import io.concord.core.metric.RankingAccumulator;
import io.concord.core.metric.RankingResult;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.data.graph.SyntheticGraphSpec;
import io.concord.data.graph.SyntheticInteractionGraphs;
import io.concord.engine.checkpoint.FloatArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * {@code concord train als}: implicit ALS over a grid on a small generated graph; the reported metrics are the best
 * grid point's, and they equal what the single-machine ranker computes from the written factors (the same ranking
 * code as ultragcn's evaluation).
 */
class AlsCliTest {

    @TempDir
    Path tmp;

    @Test
    void gridIsFittedEvaluatedAndTheBestIsReported() throws IOException {
        CliRunner.Result run = CliRunner.run("train", "als", "--output", tmp.resolve("out").toString(),
                "--run-id", "als", "--master", "local[2]", "--no-progress",
                "--set", "seed=7", "--set", "data.generate.users=300", "--set", "data.generate.items=200",
                "--set", "data.generate.clusters=8", "--set", "data.generate.meanDegree=12",
                "--set", "als.rank=8", "--set", "als.regParam=0.1", "--set", "als.alpha=[0.5, 5.0]",
                "--set", "als.maxIter=5");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path dir = tmp.resolve("out/als");
        List<String> grid = Files.readAllLines(dir.resolve("grid.csv"));
        assertThat(grid).hasSize(3);
        assertThat(grid.get(0)).isEqualTo("rank,regParam,alpha,maxIter,fitSeconds,recall@20,ndcg@20,precision@20");
        JsonNode m = new ObjectMapper().readTree(dir.resolve("summary.json").toFile()).path("metrics");
        double recall = m.path("recall@20").asDouble();
        assertThat(recall).isGreaterThan(0.25);
        double bestInGrid = Math.max(Double.parseDouble(grid.get(1).split(",")[5]),
                Double.parseDouble(grid.get(2).split(",")[5]));
        assertThat(recall).isEqualTo(bestInGrid, offset(1e-6));
        assertThat(m.path("rank").asInt()).isEqualTo(8);
        assertThat(m.path("alpha").asDouble()).isIn(0.5, 5.0);

        InteractionGraph g = SyntheticInteractionGraphs.generate(
                new SyntheticGraphSpec(300, 200, 8, 12, 2.5, 0.8, 0.8, 0.2), 7);
        float[] users = read(dir.resolve("model/user-factors.bin"));
        float[] items = read(dir.resolve("model/item-factors.bin"));
        assertThat(users).hasSize(g.numUsers() * 8);
        RankingResult local = new DotProductRanker(8, 20).evaluate(users, 0, items, 0, g.numItems(), 0,
                g.numUsers(), g.train().offsetArray(), g.train().columnArray(), g.test().offsetArray(),
                g.test().columnArray()).result(RankingAccumulator.Averaging.ALL_USERS);
        assertThat(local.recall()).isCloseTo(recall, offset(1e-12));
        assertThat(local.ndcg()).isCloseTo(m.path("ndcg@20").asDouble(), offset(1e-12));
    }

    @Test
    void badGridValuesNameTheKey() {
        CliRunner.Result r = CliRunner.run("validate", "als", "--set", "als.rank=[8, 0]");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("als.rank");
        CliRunner.Result a = CliRunner.run("validate", "als", "--set", "als.alpha=-1");
        assertThat(a.exitCode()).isEqualTo(2);
        assertThat(a.err()).contains("als.alpha");
    }

    private static float[] read(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return FloatArrays.read(in, p.toString());
        }
    }
}
