package io.concord.workload.recsys;

import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.Interaction;
import io.concord.core.ultragcn.ItemNeighbourBuilder;
import io.concord.core.ultragcn.ItemNeighbours;
import io.concord.core.ultragcn.NeighbourRows;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.List;

/**
 * The read-only tables UltraGCN needs, each built once by a Spark job before training:
 * <ul>
 *   <li>train degrees of users and items (for the β weights): one aggregation over the sharded positives;</li>
 *   <li>co-occurrence row sums {@code g_i = Σ_j G_ij = Σ_{u ∋ i} d_u} of {@code G = AᵀA}: one aggregation over the
 *       positives with the user degrees broadcast;</li>
 *   <li>the item–item neighbour table (top-k ω per item): item blocks computed in parallel by
 *       {@link ItemNeighbourBuilder#computeBlock} against the broadcast adjacency and its transpose, so no task ever
 *       holds more than {@code O(n_items)} scratch plus its block's {@code rows × k} output — never a dense
 *       {@code n_items × n_items} matrix.</li>
 * </ul>
 */
public final class GraphTables {

    /** Items per neighbour-table task at most; smaller blocks when that gives too few tasks for the cluster. */
    static final int MAX_BLOCK_ITEMS = 4096;

    private GraphTables() {
    }

    /** {@code [userDegrees, itemDegrees]} from the positives. */
    public static int[][] degrees(JavaRDD<Interaction> positives, int numUsers, int numItems, int depth) {
        return positives.treeAggregate(new int[][] {new int[numUsers], new int[numItems]},
                (acc, x) -> {
                    acc[0][x.user()]++;
                    acc[1][x.item()]++;
                    return acc;
                },
                (a, b) -> {
                    addInto(a[0], b[0]);
                    addInto(a[1], b[1]);
                    return a;
                }, Math.max(2, depth));
    }

    /** {@code g_i = Σ_{(u,i) ∈ positives} d_u}, exact in double. */
    public static double[] coOccurrenceRowSums(JavaSparkContext sc, JavaRDD<Interaction> positives,
                                               int[] userDegrees, int numItems, int depth) {
        Broadcast<int[]> degrees = sc.broadcast(userDegrees);
        double[] g = positives.treeAggregate(new double[numItems],
                (acc, x) -> {
                    acc[x.item()] += degrees.value()[x.user()];
                    return acc;
                },
                (a, b) -> {
                    for (int i = 0; i < a.length; i++) {
                        a[i] += b[i];
                    }
                    return a;
                }, Math.max(2, depth));
        degrees.destroy();
        return g;
    }

    /**
     * The top-{@code k} neighbour table, item blocks in parallel.
     *
     * @param userItems the binary train matrix (users × items)
     * @param rowSums   {@link #coOccurrenceRowSums}
     */
    public static ItemNeighbours neighbourTable(JavaSparkContext sc, Adjacency userItems, double[] rowSums, int k) {
        int n = userItems.numColumns();
        if (k == 0) {
            return ItemNeighbours.none(n);
        }
        Broadcast<Adjacency> byUser = sc.broadcast(userItems);
        Broadcast<Adjacency> byItem = sc.broadcast(userItems.transpose());
        Broadcast<double[]> sums = sc.broadcast(rowSums);
        int tasks = Math.max(1, sc.defaultParallelism()) * 4;
        int blockItems = Math.max(1, Math.min(MAX_BLOCK_ITEMS, (n + tasks - 1) / tasks));
        List<int[]> blocks = new ArrayList<>();
        for (int from = 0; from < n; from += blockItems) {
            blocks.add(new int[] {from, Math.min(n, from + blockItems)});
        }
        List<NeighbourRows> rows = sc.parallelize(blocks, blocks.size())
                .map(b -> ItemNeighbourBuilder.computeBlock(b[0], b[1], byUser.value(), byItem.value(),
                        sums.value(), k))
                .collect();
        byUser.destroy();
        byItem.destroy();
        sums.destroy();
        return ItemNeighbours.assemble(n, k, rows);
    }

    private static void addInto(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }
}
