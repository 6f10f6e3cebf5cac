package io.concord.data.graph;

import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.ItemNeighbourBuilder;
import io.concord.core.ultragcn.ItemNeighbours;
import io.concord.core.ultragcn.NeighbourRows;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the UltraGCN item–item neighbour table (K = 10) for a generated graph of Amazon-Book's size (52,643 users,
 * 91,599 items, ~2.4M train interactions) block by block, exactly as distributed tasks would, and prints the time and
 * the peak heap. The official code's dense n_items² float64 matrix would need ~67 GB here.
 *
 * <pre>
 * java -Xmx1g -cp data-loaders/target/test-classes:data-loaders/target/classes:losses-core/target/classes:$(cat cp.txt) \
 *     io.concord.data.graph.NeighbourTableScaleBench [blockSize]
 * </pre>
 */
public final class NeighbourTableScaleBench {

    private NeighbourTableScaleBench() {
    }

    public static void main(String[] args) {
        int blockSize = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        long t0 = System.nanoTime();
        Adjacency train = SyntheticInteractionGraphs.generate(SyntheticGraphSpec.amazonBookScale(), 1).train();
        long sumSq = 0;
        for (int d : train.degrees()) {
            sumSq += (long) d * d;
        }
        System.out.printf("graph: %d users x %d items, %d train interactions, sum d_u^2 = %.3g (generated in %.1f s)%n",
                train.numRows(), train.numColumns(), train.nnz(), (double) sumSq, (System.nanoTime() - t0) / 1e9);
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long baseline = usedHeap();

        long t1 = System.nanoTime();
        Adjacency itemUsers = train.transpose();
        double[] rowSums = ItemNeighbourBuilder.coOccurrenceRowSums(train);
        int n = train.numColumns();
        List<NeighbourRows> blocks = new ArrayList<>();
        long slowest = 0;
        for (int from = 0; from < n; from += blockSize) {
            long b0 = System.nanoTime();
            blocks.add(ItemNeighbourBuilder.computeBlock(from, Math.min(n, from + blockSize), train, itemUsers,
                    rowSums, 10));
            slowest = Math.max(slowest, System.nanoTime() - b0);
        }
        ItemNeighbours table = ItemNeighbours.assemble(n, 10, blocks);
        double secs = (System.nanoTime() - t1) / 1e9;

        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        int padded = 0;
        for (int i = 0; i < n; i++) {
            if (table.weight(i, 9) == 0f) {
                padded++;
            }
        }
        System.out.printf("neighbour table: %d blocks of %d items in %.1f s (slowest block %.2f s), "
                        + "items with < 10 co-occurring items: %d%n", blocks.size(), blockSize, secs, slowest / 1e9,
                padded);
        System.out.printf("heap: baseline after generation %.0f MB, peak during build %.0f MB (max heap %.0f MB); "
                        + "dense n_items^2 float64 would be %.1f GB%n", baseline / 1e6, peak / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6, (double) n * n * 8 / 1e9);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
