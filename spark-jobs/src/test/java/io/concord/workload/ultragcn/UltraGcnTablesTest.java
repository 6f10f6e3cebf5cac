package io.concord.workload.ultragcn;

import io.concord.testing.LocalSpark;
import io.concord.workload.recsys.RankingEvaluator;
import io.concord.workload.recsys.RankingEvalSection;
import io.concord.workload.recsys.GraphTables;
import io.concord.core.metric.DotProductRanker;
import io.concord.core.metric.RankingAccumulator;
import io.concord.core.metric.RankingResult;
import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.Interaction;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.core.ultragcn.ItemNeighbourBuilder;
import io.concord.core.ultragcn.ItemNeighbours;
import io.concord.data.graph.SyntheticGraphSpec;
import io.concord.data.graph.SyntheticInteractionGraphs;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * The Spark-built tables equal the single-machine ones exactly, and the distributed full-ranking evaluation equals
 * the single-machine ranker and a hand-computed example (ties, a masked train item, a user without test items).
 */
class UltraGcnTablesTest {

    private static JavaSparkContext sc;
    private static InteractionGraph graph;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start(2);
        graph = SyntheticInteractionGraphs.generate(new SyntheticGraphSpec(400, 300, 6, 12, 2.5, 0.8, 0.7, 0.2), 5);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void degreesRowSumsAndNeighbourTableEqualTheSingleMachineBuild() {
        JavaRDD<Interaction> positives = sc.parallelize(graph.trainInteractions(), 3);
        int[][] degrees = GraphTables.degrees(positives, graph.numUsers(), graph.numItems(), 2);
        assertThat(degrees[0]).isEqualTo(graph.train().degrees());
        assertThat(degrees[1]).isEqualTo(graph.train().columnDegrees());

        double[] g = GraphTables.coOccurrenceRowSums(sc, positives, degrees[0], graph.numItems(), 2);
        assertThat(g).isEqualTo(ItemNeighbourBuilder.coOccurrenceRowSums(graph.train()));

        // 300 items over 2 × 4 tasks: several blocks, assembled in any order
        ItemNeighbours distributed = GraphTables.neighbourTable(sc, graph.train(), g, 10);
        ItemNeighbours local = ItemNeighbourBuilder.computeAll(graph.train(), 10);
        assertThat(distributed.neighbourArray()).isEqualTo(local.neighbourArray());
        assertThat(distributed.weightArray()).isEqualTo(local.weightArray());
        assertThat(GraphTables.neighbourTable(sc, graph.train(), g, 0).k()).isZero();
    }

    @Test
    void distributedRankingEqualsTheSingleMachineRanker() {
        int dim = 8;
        SplittableRandom r = new SplittableRandom(3);
        float[] params = new float[(graph.numUsers() + graph.numItems()) * dim];
        for (int p = 0; p < params.length; p++) {
            params[p] = (float) r.nextGaussian();
        }
        Adjacency tr = graph.train();
        Adjacency te = graph.test();
        RankingAccumulator local = new DotProductRanker(dim, 20).evaluate(params, 0, params,
                graph.numUsers() * dim, graph.numItems(), 0, graph.numUsers(), tr.offsetArray(), tr.columnArray(),
                te.offsetArray(), te.columnArray());
        for (String averaging : new String[] {"all-users", "users-with-test-items"}) {
            RankingEvalSection eval = new RankingEvalSection(null, null, 20, null, null, averaging, 37);
            RankingResult expected = local.result(eval.averagingMode());
            try (RankingEvaluator evaluator = new RankingEvaluator(sc, graph, eval)) {
                RankingResult got = evaluator.evaluate(params, 0, params, graph.numUsers() * dim, dim);
                assertThat(got.denominator()).isEqualTo(expected.denominator());
                assertThat(got.recall()).isCloseTo(expected.recall(), offset(1e-12));
                assertThat(got.ndcg()).isCloseTo(expected.ndcg(), offset(1e-12));
                assertThat(got.precision()).isCloseTo(expected.precision(), offset(1e-12));
            }
        }
    }

    /**
     * The hand-computed example of {@code RankingAccumulatorTest} at k = 3, now through Spark with one user per task:
     * item j's factor is the unit vector e_j, so user u's scores are its factor row.
     * <pre>
     * u0: scores [.9 .8 .8 .1 .8 .0], train {0}, test {2, 5}: ranking 1, 2, 4 (ties by lower id) -> hit at rank 2
     * u1: scores [.1 .2 .3 .4 .5 .6], train {}, test {0, 1, 4, 5}: ranking 5, 4, 3 -> hits at ranks 1, 2
     * u2: no test items
     * </pre>
     */
    @Test
    void handComputedExampleThroughSpark() {
        float[] users = {.9f, .8f, .8f, .1f, .8f, 0f, .1f, .2f, .3f, .4f, .5f, .6f, 1f, 1f, 1f, 1f, 1f, 1f};
        float[] items = new float[36];
        for (int j = 0; j < 6; j++) {
            items[j * 6 + j] = 1f;
        }
        Adjacency train = new Adjacency(3, 6, new int[] {0, 1, 1, 1}, new int[] {0});
        Adjacency test = new Adjacency(3, 6, new int[] {0, 2, 6, 6}, new int[] {2, 5, 0, 1, 4, 5});
        InteractionGraph hand = new InteractionGraph(train, test);
        double l2 = 1.0;
        double l3 = 1.0 / (Math.log(3) / Math.log(2));
        double l4 = 0.5;
        double ndcgSum = l3 / (l2 + l3) + (l2 + l3) / (l2 + l3 + l4);
        try (RankingEvaluator all = new RankingEvaluator(sc, hand,
                new RankingEvalSection(null, null, 3, null, null, "all-users", 1))) {
            RankingResult r = all.evaluate(users, 0, items, 0, 6);
            assertThat(r.denominator()).isEqualTo(3);
            assertThat(r.recall()).isCloseTo((0.5 + 0.5) / 3, offset(1e-15));
            assertThat(r.precision()).isCloseTo((1.0 / 3 + 2.0 / 3) / 3, offset(1e-15));
            assertThat(r.ndcg()).isCloseTo(ndcgSum / 3, offset(1e-15));
            assertThat(RankingEvaluator.metrics(r)).containsOnlyKeys("recall@3", "ndcg@3", "precision@3", "f1@3");
        }
        try (RankingEvaluator withTest = new RankingEvaluator(sc, hand,
                new RankingEvalSection(null, null, 3, null, null, "users-with-test-items", 2))) {
            RankingResult r = withTest.evaluate(users, 0, items, 0, 6);
            assertThat(r.denominator()).isEqualTo(2);
            assertThat(r.recall()).isCloseTo(0.5, offset(1e-15));
            assertThat(r.ndcg()).isCloseTo(ndcgSum / 2, offset(1e-15));
        }
    }
}
