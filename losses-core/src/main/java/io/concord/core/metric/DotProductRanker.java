package io.concord.core.metric;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Full-ranking evaluation of a dot-product recommender (UltraGCN, ALS, MF) over a block of users: scores
 * {@code e_u · e_j} for every item, train items excluded, exact top-k ({@link TopK}), then {@link RankingAccumulator}.
 *
 * <p>Never a dense users × items matrix: users are scored in sub-blocks of at most {@code maxScoreFloats / numItems}
 * rows with one ND4J GEMM each (fp32, like the official {@code U · Iᵀ} on the GPU). Users without test items are not
 * scored; they are counted, contributing 0. The distributed evaluation runs {@link #evaluate} per user range and
 * merges the accumulators.
 *
 * <p>Not thread-safe (scratch buffers): one instance per thread.
 */
public final class DotProductRanker {

    private static final int DEFAULT_MAX_SCORE_FLOATS = 1 << 22;

    private final int dim;
    private final int k;
    private final int maxScoreFloats;
    private final TopK topK;
    private final int[] ranked;

    public DotProductRanker(int dim, int k) {
        this(dim, k, DEFAULT_MAX_SCORE_FLOATS);
    }

    /** @param maxScoreFloats bound on the scores held at once (sub-block rows × numItems) */
    public DotProductRanker(int dim, int k, int maxScoreFloats) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dim must be > 0, got " + dim);
        }
        this.dim = dim;
        this.k = k;
        this.maxScoreFloats = Math.max(1, maxScoreFloats);
        this.topK = new TopK(k);
        this.ranked = new int[k];
    }

    /**
     * Evaluates users {@code [userFrom, userTo)}.
     *
     * @param userFactors  user rows: user u at {@code userFactors[userBase + u·dim ..]}
     * @param itemFactors  item rows: item j at {@code itemFactors[itemBase + j·dim ..]}
     * @param numItems     number of items ranked (ids {@code 0..numItems-1})
     * @param trainOffsets CSR offsets of the users' train items (excluded from the ranking)
     * @param trainItems   CSR columns, sorted per user
     * @param testOffsets  CSR offsets of the users' test items
     * @param testItems    CSR columns, sorted per user
     */
    public RankingAccumulator evaluate(float[] userFactors, int userBase, float[] itemFactors, int itemBase,
                                       int numItems, int userFrom, int userTo, int[] trainOffsets, int[] trainItems,
                                       int[] testOffsets, int[] testItems) {
        RankingAccumulator acc = new RankingAccumulator(k);
        int[] scored = new int[userTo - userFrom];
        int numScored = 0;
        for (int u = userFrom; u < userTo; u++) {
            if (testOffsets[u + 1] > testOffsets[u]) {
                scored[numScored++] = u;
            } else {
                acc.addUsersWithoutTestItems(1);
            }
        }
        if (numScored == 0) {
            return acc;
        }
        int rowsPerBlock = Math.max(1, Math.min(numScored, maxScoreFloats / Math.max(1, numItems)));
        float[] itemCopy = new float[numItems * dim];
        System.arraycopy(itemFactors, itemBase, itemCopy, 0, numItems * dim);
        INDArray items = Nd4j.create(itemCopy, new long[]{numItems, dim}, DataType.FLOAT);
        float[] userBlock = new float[rowsPerBlock * dim];
        for (int start = 0; start < numScored; start += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, numScored - start);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(userFactors, userBase + scored[start + r] * dim, userBlock, r * dim, dim);
            }
            float[] userRows = rows == rowsPerBlock ? userBlock : Arrays.copyOf(userBlock, rows * dim);
            INDArray users = Nd4j.create(userRows, new long[]{rows, dim}, DataType.FLOAT);
            INDArray scores = Nd4j.create(DataType.FLOAT, new long[]{rows, numItems}, 'c');
            Nd4j.gemm(users, items, scores, false, true, 1.0, 0.0);
            float[] s = scores.data().asFloat();
            users.close();
            scores.close();
            for (int r = 0; r < rows; r++) {
                int u = scored[start + r];
                int n = topK.select(s, r * numItems, numItems, trainItems, trainOffsets[u], trainOffsets[u + 1],
                        ranked);
                acc.addUser(ranked, n, testItems, testOffsets[u], testOffsets[u + 1]);
            }
        }
        items.close();
        return acc;
    }
}
