package io.concord.inference;

import io.concord.core.metric.DotProductRanker;
import io.concord.core.ultragcn.Adjacency;
import io.concord.model.FactorModel;
import io.concord.model.FactorTables;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Top-k recommendation on the executors: the item factors, the train interactions (to exclude) and the id maps are
 * broadcast; each task takes the user factor rows of its partition in blocks of {@code blockUsers}, scores a block
 * against every item with {@link DotProductRanker#rank} (the ranking the evaluation scores: one GEMM per
 * sub-block, train items excluded, ties to the lower item index) and emits {@code (user, rank, item, score)} rows
 * with the original ids. No task holds more than a block of users × items scores.
 */
public final class Recommender {

    private Recommender() {
    }

    public static StructType schema(FactorModel model) {
        return new StructType().add("user", FactorTables.idType(model.userIds()), false)
                .add("rank", DataTypes.IntegerType, false)
                .add("item", FactorTables.idType(model.itemIds()), false)
                .add("score", DataTypes.FloatType, false);
    }

    /**
     * @param userRows    rows {@code (index int, vector array<float>)} of the users to recommend for
     * @param includeSeen keep the users' train items in the ranking
     */
    public static Dataset<Row> recommend(SparkSession spark, FactorModel model, Dataset<Row> userRows, int k,
                                         boolean includeSeen, int blockUsers) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Adjacency exclude = includeSeen ? Adjacency.empty(model.numUsers(), model.numItems()) : model.train();
        Broadcast<float[]> items = sc.broadcast(model.itemFactors());
        Broadcast<Adjacency> seen = sc.broadcast(exclude);
        Broadcast<Object[]> userIds = sc.broadcast(FactorTables.originals(model.userIds()));
        Broadcast<Object[]> itemIds = sc.broadcast(FactorTables.originals(model.itemIds()));
        int dim = model.dim();
        int numItems = model.numItems();
        JavaRDD<Row> out = userRows.select(FactorTables.INDEX, FactorTables.VECTOR).toJavaRDD()
                .mapPartitions(rows -> new BlockIterator(rows, blockUsers, dim, numItems, k, items.value(),
                        seen.value(), userIds.value(), itemIds.value()));
        return spark.createDataFrame(out, schema(model));
    }

    /** Scores a partition block by block, yielding the rows of one block before reading the next. */
    private static final class BlockIterator implements Iterator<Row> {
        private final Iterator<Row> users;
        private final int blockUsers;
        private final int dim;
        private final int numItems;
        private final float[] items;
        private final Adjacency seen;
        private final Object[] userIds;
        private final Object[] itemIds;
        private final DotProductRanker ranker;
        private final float[] block;
        private final int[] rows;
        private final int[] ids;
        private final List<Row> pending = new ArrayList<>();
        private int next;

        BlockIterator(Iterator<Row> users, int blockUsers, int dim, int numItems, int k, float[] items,
                      Adjacency seen, Object[] userIds, Object[] itemIds) {
            this.users = users;
            this.blockUsers = blockUsers;
            this.dim = dim;
            this.numItems = numItems;
            this.items = items;
            this.seen = seen;
            this.userIds = userIds;
            this.itemIds = itemIds;
            this.ranker = new DotProductRanker(dim, Math.min(k, Math.max(1, numItems)));
            this.block = new float[blockUsers * dim];
            this.rows = new int[blockUsers];
            this.ids = new int[blockUsers];
            for (int r = 0; r < blockUsers; r++) {
                rows[r] = r;
            }
        }

        @Override
        public boolean hasNext() {
            while (next == pending.size() && users.hasNext()) {
                fill();
            }
            return next < pending.size();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return pending.get(next++);
        }

        private void fill() {
            pending.clear();
            next = 0;
            int n = 0;
            while (n < blockUsers && users.hasNext()) {
                Row r = users.next();
                ids[n] = r.getInt(0);
                List<Float> v = r.getList(1);
                for (int d = 0; d < dim; d++) {
                    block[n * dim + d] = v.get(d);
                }
                n++;
            }
            ranker.rank(block, 0, rows, ids, n, items, 0, numItems, seen.offsetArray(), seen.columnArray(),
                    (user, row, ranked, count, scores, offset) -> {
                        Object userId = userIds[user];
                        for (int p = 0; p < count; p++) {
                            pending.add(RowFactory.create(userId, p + 1, itemIds[ranked[p]],
                                    scores[offset + ranked[p]]));
                        }
                    });
        }
    }
}
