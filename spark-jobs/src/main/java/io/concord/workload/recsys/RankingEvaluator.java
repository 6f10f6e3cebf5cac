package io.concord.workload.recsys;

import io.concord.core.metric.DotProductRanker;
import io.concord.core.metric.RankingAccumulator;
import io.concord.core.metric.RankingResult;
import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.job.PartitionOrderedSum;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Distributed full-ranking evaluation of a dot-product recommender, per the official UltraGCN protocol: the users are
 * cut into blocks ({@code eval.userBlock}, the official test batch), each task scores its block against every item
 * with {@link DotProductRanker} (GEMM over sub-blocks, train items masked, exact top-k), and the per-block
 * {@link RankingAccumulator}s are merged. The train and test matrices are broadcast once; each evaluation broadcasts
 * only the factor tables. No task ever holds a users × items matrix.
 */
public final class RankingEvaluator implements AutoCloseable {

    private final JavaSparkContext sc;
    private final int numUsers;
    private final int numItems;
    private final int k;
    private final RankingAccumulator.Averaging averaging;
    private final Broadcast<Adjacency> train;
    private final Broadcast<Adjacency> test;
    private final JavaRDD<int[]> blocks;

    public RankingEvaluator(JavaSparkContext sc, InteractionGraph graph, RankingEvalSection eval) {
        this.sc = sc;
        this.numUsers = graph.numUsers();
        this.numItems = graph.numItems();
        this.k = eval.k();
        this.averaging = eval.averagingMode();
        this.train = sc.broadcast(graph.train());
        this.test = sc.broadcast(graph.test());
        List<int[]> ranges = new ArrayList<>();
        for (int from = 0; from < numUsers; from += eval.userBlock()) {
            ranges.add(new int[] {from, Math.min(numUsers, from + eval.userBlock())});
        }
        this.blocks = sc.parallelize(ranges, ranges.size()).cache();
    }

    /**
     * Evaluates factor tables laid out row-major: user u at {@code users[userBase + u·dim]}, item j at
     * {@code items[itemBase + j·dim]} (the same array may hold both, as UltraGCN's parameter vector does).
     */
    public RankingResult evaluate(float[] users, int userBase, float[] items, int itemBase, int dim) {
        if (users.length < userBase + (long) numUsers * dim || items.length < itemBase + (long) numItems * dim) {
            throw new IllegalArgumentException("factor tables too short for " + numUsers + " users and " + numItems
                    + " items of dimension " + dim);
        }
        boolean shared = users == items;
        Broadcast<float[]> u = sc.broadcast(users);
        Broadcast<float[]> it = shared ? u : sc.broadcast(items);
        final int nItems = numItems;
        final int cutoff = k;
        final Broadcast<Adjacency> tr = train;
        final Broadcast<Adjacency> te = test;
        RankingAccumulator merged = PartitionOrderedSum.fold(blocks, bs -> {
            Adjacency trainM = tr.value();
            Adjacency testM = te.value();
            RankingAccumulator acc = null;
            while (bs.hasNext()) {
                int[] b = bs.next();
                RankingAccumulator part = new DotProductRanker(dim, cutoff).evaluate(u.value(), userBase,
                        it.value(), itemBase, nItems, b[0], b[1], trainM.offsetArray(), trainM.columnArray(),
                        testM.offsetArray(), testM.columnArray());
                acc = acc == null ? part : acc.merge(part);
            }
            return acc;
        }, (x, y) -> x == null ? y : y == null ? x : x.merge(y));
        u.destroy();
        if (!shared) {
            it.destroy();
        }
        return merged.result(averaging);
    }

    /** Named metrics ({@code recall@20}, {@code ndcg@20}, {@code precision@20}, {@code f1@20}). */
    public static Map<String, Double> metrics(RankingResult r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("recall@" + r.k(), r.recall());
        m.put("ndcg@" + r.k(), r.ndcg());
        m.put("precision@" + r.k(), r.precision());
        m.put("f1@" + r.k(), r.f1());
        return m;
    }

    @Override
    public void close() {
        blocks.unpersist(false);
        train.destroy();
        test.destroy();
    }
}
