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
    private float[] scoreBuffer = new float[0];

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
        rank(userFactors, userBase, scored, numScored, itemFactors, itemBase, numItems, trainOffsets, trainItems,
                (user, row, ranked, n, scores, offset) -> acc.addUser(ranked, n, testItems, testOffsets[user],
                        testOffsets[user + 1]));
        return acc;
    }

    /**
     * Receives one user's top-k: {@code ranked[0..n)} best first, its scores at {@code scores[offset + item]}. Both
     * arrays are the ranker's scratch space: read them during the call, do not keep them.
     */
    public interface RankedUser {
        void accept(int user, int row, int[] ranked, int n, float[] scores, int offset);
    }

    /**
     * Ranks every item for each of {@code users[0..count)} and hands each user's top-k (train items excluded, the
     * {@link TopK} order) to {@code sink}, in the order given. This is the ranking {@link #evaluate} scores, so a
     * recommendation list and the evaluation of the same factors agree item for item.
     *
     * @param users user ids: row {@code users[r]} of {@code userFactors} (at {@code userBase + users[r]·dim}) and the
     *              row of the train matrix excluded for it
     */
    public void rank(float[] userFactors, int userBase, int[] users, int count, float[] itemFactors, int itemBase,
                     int numItems, int[] trainOffsets, int[] trainItems, RankedUser sink) {
        rank(userFactors, userBase, users, users, count, itemFactors, itemBase, numItems, trainOffsets, trainItems,
                sink);
    }

    /**
     * As above with the factor row of each user given apart from its id: user {@code users[r]} is scored with row
     * {@code rows[r]} of {@code userFactors} (a block of factors that holds only some users).
     */
    public void rank(float[] userFactors, int userBase, int[] rows, int[] users, int count, float[] itemFactors,
                     int itemBase, int numItems, int[] trainOffsets, int[] trainItems, RankedUser sink) {
        if (count == 0) {
            return;
        }
        int rowsPerBlock = Math.max(1, Math.min(count, maxScoreFloats / Math.max(1, numItems)));
        float[] itemCopy = new float[numItems * dim];
        System.arraycopy(itemFactors, itemBase, itemCopy, 0, numItems * dim);
        INDArray items = Nd4j.create(itemCopy, new long[]{numItems, dim}, DataType.FLOAT);
        float[] userBlock = new float[rowsPerBlock * dim];
        for (int start = 0; start < count; start += rowsPerBlock) {
            int blockRows = Math.min(rowsPerBlock, count - start);
            for (int r = 0; r < blockRows; r++) {
                System.arraycopy(userFactors, userBase + rows[start + r] * dim, userBlock, r * dim, dim);
            }
            float[] userRows = blockRows == rowsPerBlock ? userBlock
                    : Arrays.copyOf(userBlock, blockRows * dim);
            INDArray usersM = Nd4j.create(userRows, new long[]{blockRows, dim}, DataType.FLOAT);
            INDArray scores = Nd4j.create(DataType.FLOAT, new long[]{blockRows, numItems}, 'c');
            Nd4j.gemm(usersM, items, scores, false, true, 1.0, 0.0);
            // into one reused array: asFloat() would allocate a fresh one per sub-block (~5 GB per Gowalla evaluation)
            float[] s = scoreBuffer(rowsPerBlock * numItems);
            scores.data().asNioFloat().get(s, 0, blockRows * numItems);
            usersM.close();
            scores.close();
            for (int r = 0; r < blockRows; r++) {
                int u = users[start + r];
                int n = topK.select(s, r * numItems, numItems, trainItems, trainOffsets[u], trainOffsets[u + 1],
                        ranked);
                sink.accept(u, rows[start + r], ranked, n, s, r * numItems);
            }
        }
        items.close();
    }

    private float[] scoreBuffer(int length) {
        if (scoreBuffer.length < length) {
            scoreBuffer = new float[length];
        }
        return scoreBuffer;
    }
}
