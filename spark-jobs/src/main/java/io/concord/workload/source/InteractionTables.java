package io.concord.workload.source;

import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.data.DataException;
import io.concord.data.graph.IdMap;
import io.concord.data.graph.PerUserSplit;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

/**
 * Reads an interaction graph from Spark SQL sources: one table split per user (at random with
 * {@code data.testFraction}, or by a split column), or a train and a test table. Original user and item ids of any
 * integer or string type become dense indices through {@link IdMap} (sorted distinct ids, so the indices depend on
 * the set of ids only); integer ids that are already {@code 0..n-1} keep their values.
 *
 * <p>Work on the driver: the dense {@code (user, item)} pairs, from which the CSR train/test matrices are built exactly
 * as the text readers build them (sorted rows, a repeated pair counted once) — the jobs broadcast those matrices
 * anyway — and the id maps. Integer ids come back raw from one scan job (packed per task) and are mapped there;
 * string ids never come back per row: only their distinct values (the maps), the rows being joined with broadcast
 * {@code id → index} tables on the executors. Reading and filtering run on the executors — except for plain Parquet
 * files with integer ids, which {@link ParquetInteractionFiles} reads on the driver without a Spark job (the same
 * result, without Spark's fixed per-job cost); anything it does not handle, data errors included, comes here.
 */
public final class InteractionTables {

    static final String USER = "__user";
    static final String ITEM = "__item";
    static final String SPLIT = "__split";
    static final String FLAG = "__flag";
    static final String USER_INDEX = "__uix";
    static final String ITEM_INDEX = "__iix";

    private InteractionTables() {
    }

    /** The graph and the maps from its dense indices back to the original ids. */
    public record Loaded(InteractionGraph graph, IdMap users, IdMap items) {

        /** Writes {@code model/user-ids.idmap} and {@code model/item-ids.idmap} into the run's staging directory. */
        public void writeIdMaps(RunDirectory dir, Configuration conf) {
            if (users != null) {
                write(users, "model/user-ids.idmap", dir, conf);
                write(items, "model/item-ids.idmap", dir, conf);
            }
        }

        private static void write(IdMap map, String relative, RunDirectory dir, Configuration conf) {
            try {
                map.write(dir.staged(relative), conf);
            } catch (IOException e) {
                throw new RunDirectory.OutputException("writing " + relative + " failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * @param train        the train source, or the only source
     * @param test         the test source, or null for a single source
     * @param testFraction per-user held-out fraction of a single source without a split column
     * @param splitSeed    seed of that per-user split
     */
    public static Loaded read(SparkSession spark, TableSource train, TableSource test, InteractionColumns columns,
                              double testFraction, long splitSeed) {
        return read(spark, train, test, columns, testFraction, splitSeed, true);
    }

    /**
     * {@link #read(SparkSession, TableSource, TableSource, InteractionColumns, double, long)}; with
     * {@code directFiles} false always through Spark SQL, never {@link ParquetInteractionFiles} (tests and the bench
     * compare the two).
     */
    static Loaded read(SparkSession spark, TableSource train, TableSource test, InteractionColumns columns,
                       double testFraction, long splitSeed, boolean directFiles) {
        if (directFiles) {
            Loaded direct = ParquetInteractionFiles.read(spark.sparkContext().hadoopConfiguration(), train, test,
                    columns, testFraction, splitSeed);
            if (direct != null) {
                return direct;
            }
        }
        Dataset<Row> trainRows = select(train, train.read(spark), columns, test == null);
        Dataset<Row> testRows = test == null ? null : select(test, test.read(spark), columns, false);
        if (testRows != null) {
            sameKind(train, trainRows, test, testRows, USER, "data.columns.user", columns.user());
            sameKind(train, trainRows, test, testRows, ITEM, "data.columns.item", columns.item());
        }
        String where = where(train, test);
        boolean split = test == null && columns.split() != null;
        boolean integerIds = Columns.isInteger(trainRows.schema().apply(USER).dataType())
                && Columns.isInteger(trainRows.schema().apply(ITEM).dataType());
        Dense dense = integerIds ? denseOfIntegers(trainRows, testRows, split, where, columns)
                : denseOfStrings(spark, trainRows, testRows, split, where, columns);
        return loaded(train, test, columns, dense, testFraction, splitSeed, () -> badSplitValue(trainRows));
    }

    /** The sources for messages: {@code train + test} or the only one. */
    static String where(TableSource train, TableSource test) {
        return test == null ? train.describe() : train.describe() + " + " + test.describe();
    }

    /**
     * The graph of the dense pairs (the checks after reading: an empty source, a bad split value, no train pairs).
     *
     * @param badSplitValue the first value of the split column that is not a split value, quoted, for the message
     */
    static Loaded loaded(TableSource train, TableSource test, InteractionColumns columns, Dense dense,
                         double testFraction, long splitSeed, Supplier<String> badSplitValue) {
        boolean split = test == null && columns.split() != null;
        IdMap users = dense.users;
        IdMap items = dense.items;
        Packed trainPairs = dense.train;
        if (users.size() == 0) {
            throw new DataException(where(train, test), "no interactions (the source is empty"
                    + (train.where() == null ? "" : " after data.where") + ")");
        }
        if (split && trainPairs.hasBadSplit()) {
            throw new DataException(train.describe(), "column '" + columns.split() + "' (data.columns.split) "
                    + "has the value " + badSplitValue.get() + ", expected 'train' or 'test'");
        }
        int nu = users.size();
        int ni = items.size();
        InteractionGraph graph;
        if (test != null && dense.test != trainPairs) {
            graph = new InteractionGraph(trainPairs.adjacency(nu, ni, 0)[0],
                    dense.test.adjacency(nu, ni, dense.testFlag)[0]);
        } else if (test != null || columns.split() != null) {
            Adjacency[] m = trainPairs.adjacency(nu, ni, 0, test != null ? dense.testFlag : 1);
            graph = new InteractionGraph(m[0], m[1]);
        } else {
            graph = PerUserSplit.split(trainPairs.adjacency(nu, ni, -1)[0], testFraction, splitSeed);
        }
        if (graph.trainSize() == 0) {
            throw new DataException(train.describe(), "no train interactions");
        }
        return new Loaded(graph, users, items);
    }

    /** Id maps and dense pairs of the train (or only) and the test source. */
    record Dense(IdMap users, IdMap items, Packed train, Packed test, int testFlag) {
    }

    /**
     * Integer ids: ONE scan of the source(s) — train and test as a union, a split column turned into a flag by Spark
     * SQL — packs the raw {@code (user, item, flag)} per task, and the driver maps them: the pairs the job holds there
     * anyway, with no shuffle.
     */
    private static Dense denseOfIntegers(Dataset<Row> trainRows, Dataset<Row> testRows, boolean split, String where,
                                         InteractionColumns columns) {
        Dataset<Row> flagged;
        if (testRows != null) {
            flagged = trainRows.select(col(USER), col(ITEM), lit(0).as(FLAG))
                    .unionByName(testRows.select(col(USER), col(ITEM), lit(1).as(FLAG)));
        } else if (split) {
            flagged = trainRows.select(col(USER), col(ITEM), when(col(SPLIT).isin("test", "true"), 1)
                    .when(col(SPLIT).isin("train", "false"), 0).otherwise(2).as(FLAG));
        } else {
            flagged = trainRows.select(col(USER), col(ITEM), lit(0).as(FLAG));
        }
        // Spark's internal rows: no conversion to external Row objects per record
        List<long[]> raw = flagged.queryExecution().toRdd().toJavaRDD().mapPartitions(
                (FlatMapFunction<Iterator<InternalRow>, long[]>) it -> List.of(packRaw(it)).iterator()).collect();
        return denseOfRaw(raw, testRows != null, where, columns);
    }

    /**
     * The id maps and dense pairs of raw integer ids, packed {@code [null users, null items, u, i, flag, …]} (in any
     * order: the maps are sorted and the matrices' rows too); a null id is a data error.
     */
    static Dense denseOfRaw(List<long[]> raw, boolean twoSources, String where, InteractionColumns columns) {
        long nullUsers = 0;
        long nullItems = 0;
        int n = 0;
        for (long[] p : raw) {
            nullUsers += p[0];
            nullItems += p[1];
            n += (p.length - 2) / 3;
        }
        if (nullUsers + nullItems > 0) {
            boolean user = nullUsers > 0;
            throw new DataException(where, "column '" + (user ? columns.user() : columns.item()) + "' (data.columns."
                    + (user ? "user" : "item") + ") has " + (user ? nullUsers : nullItems) + " null values");
        }
        DenseIds[] ids = DenseIds.of(raw, n);
        DenseIds userIds = ids[0];
        DenseIds itemIds = ids[1];
        List<int[]> parts = new ArrayList<>(raw.size());
        for (long[] p : raw) {
            int[] dense = new int[p.length - 2];
            for (int q = 2; q < p.length; q += 3) {
                dense[q - 2] = userIds.indexOf(p[q]);
                dense[q - 1] = itemIds.indexOf(p[q + 1]);
                dense[q] = (int) p[q + 2];
            }
            parts.add(dense);
        }
        IdMap users = IdMap.ofLongs(userIds.sorted);
        IdMap items = IdMap.ofLongs(itemIds.sorted);
        Packed pairs = new Packed(parts, 3);
        return new Dense(users, items, pairs, twoSources ? pairs : null, 1);
    }

    /** {@code [null users, null items, u, i, flag, …]} of one task. */
    private static long[] packRaw(Iterator<InternalRow> it) {
        long[] out = new long[2 + 1024 * 3];
        int n = 2;
        while (it.hasNext()) {
            InternalRow r = it.next();
            if (r.isNullAt(0) || r.isNullAt(1)) {
                out[r.isNullAt(0) ? 0 : 1]++;
                continue;
            }
            if (n + 3 > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[n++] = r.getLong(0);
            out[n++] = r.getLong(1);
            out[n++] = r.getInt(2);
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The sorted distinct values of one id column of raw packings, and each id's index among them: a rank table over
     * {@code [min, max]} where that range is small against the pairs (ids that are already about dense), else a sort
     * and binary searches.
     */
    private static final class DenseIds {
        final long[] sorted;
        private final long min;
        private final int[] rank;

        private DenseIds(long[] sorted, long min, int[] rank) {
            this.sorted = sorted;
            this.min = min;
            this.rank = rank;
        }

        /** The users ({@code [0]}) and items ({@code [1]}) of the packings, {@code n} pairs in all. */
        static DenseIds[] of(List<long[]> raw, int n) {
            long minUser = Long.MAX_VALUE;
            long maxUser = Long.MIN_VALUE;
            long minItem = Long.MAX_VALUE;
            long maxItem = Long.MIN_VALUE;
            for (long[] p : raw) {
                for (int q = 2; q < p.length; q += 3) {
                    minUser = Math.min(minUser, p[q]);
                    maxUser = Math.max(maxUser, p[q]);
                    minItem = Math.min(minItem, p[q + 1]);
                    maxItem = Math.max(maxItem, p[q + 1]);
                }
            }
            int[] userRank = rankTable(minUser, maxUser, n);
            int[] itemRank = rankTable(minItem, maxItem, n);
            if (userRank != null || itemRank != null) {
                for (long[] p : raw) {
                    for (int q = 2; q < p.length; q += 3) {
                        if (userRank != null) {
                            userRank[(int) (p[q] - minUser)] = 1;
                        }
                        if (itemRank != null) {
                            itemRank[(int) (p[q + 1] - minItem)] = 1;
                        }
                    }
                }
            }
            return new DenseIds[] {of(raw, 0, n, minUser, userRank), of(raw, 1, n, minItem, itemRank)};
        }

        /** A table over {@code [min, max]} where that range is small against {@code n} pairs, else null. */
        private static int[] rankTable(long min, long max, int n) {
            return n > 0 && max - min >= 0 && max - min < Math.min(1 << 28, Math.max(1 << 16, 4L * n))
                    ? new int[(int) (max - min + 1)] : null;
        }

        /** From the marked table ({@code 1} where an id occurs), or by sorting the column's ids. */
        private static DenseIds of(List<long[]> raw, int column, int n, long min, int[] rank) {
            if (rank != null) {
                int distinct = 0;
                for (int r : rank) {
                    distinct += r;
                }
                long[] sorted = new long[distinct];
                int k = 0;
                for (int j = 0; j < rank.length; j++) {
                    if (rank[j] != 0) {
                        sorted[k] = min + j;
                        rank[j] = k++;
                    }
                }
                return new DenseIds(sorted, min, rank);
            }
            long[] ids = new long[n];
            int k = 0;
            for (long[] p : raw) {
                for (int q = 2 + column; q < p.length; q += 3) {
                    ids[k++] = p[q];
                }
            }
            IdMap map = IdMap.ofLongs(ids);
            long[] sorted = new long[map.size()];
            Arrays.setAll(sorted, map::originalLong);
            return new DenseIds(sorted, 0, null);
        }

        int indexOf(long id) {
            return rank != null ? rank[(int) (id - min)] : Arrays.binarySearch(sorted, id);
        }
    }

    /**
     * String ids: the distinct ids of each column (one shuffle each, collected: the id maps), then broadcast joins
     * with the {@code id → index} tables on the executors, so only dense ints come back per pair.
     */
    private static Dense denseOfStrings(SparkSession spark, Dataset<Row> trainRows, Dataset<Row> testRows,
                                        boolean split, String where, InteractionColumns columns) {
        Dataset<Row> all = testRows == null ? trainRows : trainRows.select(USER, ITEM)
                .unionByName(testRows.select(USER, ITEM));
        all = all.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            IdMap users = ids(all, USER, where, columns.user(), "data.columns.user");
            IdMap items = ids(all, ITEM, where, columns.item(), "data.columns.item");
            return new Dense(users, items, dense(spark, trainRows, users, items, split),
                    testRows == null ? null : dense(spark, testRows, users, items, false), 0);
        } finally {
            all.unpersist(false);
        }
    }

    private static int splitFlag(String s) {
        return "test".equals(s) || "true".equals(s) ? 1 : "train".equals(s) || "false".equals(s) ? 0 : 2;
    }

    /** Schema checks, then the mapped columns under fixed names (integer ids widened to bigint). */
    static Dataset<Row> select(TableSource source, Dataset<Row> rows, InteractionColumns c, boolean single) {
        StructType schema = rows.schema();
        DataType user = Columns.require(schema, source, "data.columns.user", c.user(), Columns.Kind.ID);
        DataType item = Columns.require(schema, source, "data.columns.item", c.item(), Columns.Kind.ID);
        if (c.weight() != null) {
            Columns.require(schema, source, "data.columns.weight", c.weight(), Columns.Kind.NUMBER);
        }
        if (c.timestamp() != null) {
            Columns.require(schema, source, "data.columns.timestamp", c.timestamp(), Columns.Kind.TIME);
        }
        List<Column> out = new ArrayList<>(List.of(id(c.user(), user).as(USER), id(c.item(), item).as(ITEM)));
        if (single && c.split() != null) {
            Columns.require(schema, source, "data.columns.split", c.split(), Columns.Kind.SPLIT);
            out.add(col(c.split()).cast(DataTypes.StringType).as(SPLIT));
        }
        return rows.select(out.toArray(Column[]::new));
    }

    private static Column id(String name, DataType type) {
        return Columns.isInteger(type) ? col(name).cast(DataTypes.LongType) : col(name);
    }

    private static void sameKind(TableSource a, Dataset<Row> ra, TableSource b, Dataset<Row> rb, String field,
                                 String key, String column) {
        DataType ta = ra.schema().apply(field).dataType();
        DataType tb = rb.schema().apply(field).dataType();
        if (!ta.equals(tb)) {
            throw new DataException(b.describe(), "column '" + column + "' (" + key + ") has "
                    + (Columns.isInteger(tb) ? "integer" : "string") + " ids but "
                    + (Columns.isInteger(ta) ? "integer" : "string") + " ids in " + a.describe()
                    + "; train and test must use the same id type");
        }
    }

    /** The sorted distinct ids of one column; a null id is a data error. */
    static IdMap ids(Dataset<Row> rows, String field, String source, String column, String key) {
        List<Row> distinct = rows.select(field).distinct().collectAsList();
        boolean integer = rows.schema().apply(field).dataType().equals(DataTypes.LongType);
        long[] longs = integer ? new long[distinct.size()] : null;
        List<String> strings = integer ? null : new ArrayList<>(distinct.size());
        for (int k = 0; k < distinct.size(); k++) {
            Row r = distinct.get(k);
            if (r.isNullAt(0)) {
                throw new DataException(source, "column '" + column + "' (" + key + ") has null values");
            }
            if (integer) {
                longs[k] = r.getLong(0);
            } else {
                strings.add(r.getString(0));
            }
        }
        return integer ? IdMap.ofLongs(longs) : IdMap.ofStrings(strings);
    }

    /**
     * The rows as dense (user, item[, test flag]) pairs: broadcast joins with the id tables, then one packed
     * {@code int[]} per task ({@code u, i[, flag]} repeated; flag 0 = train, 1 = test, 2 = not a split value).
     */
    private static Packed dense(SparkSession spark, Dataset<Row> rows, IdMap users, IdMap items, boolean split) {
        Dataset<Row> joined = rows
                .join(broadcast(indexTable(spark, users, USER, USER_INDEX, rows)), USER)
                .join(broadcast(indexTable(spark, items, ITEM, ITEM_INDEX, rows)), ITEM);
        Dataset<Row> pairs = split ? joined.select(USER_INDEX, ITEM_INDEX, SPLIT)
                : joined.select(USER_INDEX, ITEM_INDEX);
        List<int[]> parts = pairs.javaRDD().mapPartitions((FlatMapFunction<Iterator<Row>, int[]>) it ->
                List.of(pack(it, split)).iterator()).collect();
        return new Packed(parts, split ? 3 : 2);
    }

    private static int[] pack(Iterator<Row> it, boolean split) {
        int stride = split ? 3 : 2;
        int[] out = new int[1024 * stride];
        int n = 0;
        while (it.hasNext()) {
            Row r = it.next();
            if (n + stride > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[n++] = r.getInt(0);
            out[n++] = r.getInt(1);
            if (split) {
                out[n++] = splitFlag(r.isNullAt(2) ? null : r.getString(2));
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The first value of the split column that is not a split value (for the message). */
    private static String badSplitValue(Dataset<Row> rows) {
        Row bad = rows.where(col(SPLIT).isNull().or(not(col(SPLIT).isin("train", "test", "true", "false"))))
                .select(SPLIT).first();
        return bad.isNullAt(0) ? "null" : "'" + bad.getString(0) + "'";
    }

    private static Dataset<Row> indexTable(SparkSession spark, IdMap map, String idField, String indexField,
                                           Dataset<Row> like) {
        List<Row> rows = new ArrayList<>(map.size());
        for (int i = 0; i < map.size(); i++) {
            rows.add(RowFactory.create(map.original(i), i));
        }
        StructType schema = new StructType()
                .add(idField, like.schema().apply(idField).dataType(), false)
                .add(indexField, DataTypes.IntegerType, false);
        return spark.createDataFrame(rows, schema);
    }

    /** The dense pairs of all tasks, in task order. */
    static final class Packed {
        private final List<int[]> parts;
        private final int stride;

        Packed(List<int[]> parts, int stride) {
            this.parts = parts;
            this.stride = stride;
        }

        boolean hasBadSplit() {
            for (int[] p : parts) {
                for (int k = 2; k < p.length; k += stride) {
                    if (p[k] == 2) {
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * The binary matrices of the pairs with the given flags (0, 1, 2), one per flag, in one pass; all pairs in one
         * matrix for the flag -1 or pairs without flags. What {@link Adjacency#fromPairs} builds (rows sorted, a
         * repeated pair once), by two counting sorts instead of sorting each row: the pairs bucketed by item, then the
         * items dealt to their rows in item order.
         */
        Adjacency[] adjacency(int numUsers, int numItems, int... flags) {
            int m = flags.length;
            // the matrix of each pair: slot[flag] (flags are 0, 1 or 2), or all pairs to matrix 0
            boolean all = stride < 3 || flags[0] < 0;
            int[] slot = {-1, -1, -1};
            for (int f = 0; f < m && !all; f++) {
                slot[flags[f]] = f;
            }
            int[][] itemEnd = new int[m][numItems + 1];
            int[][] rowStart = new int[m][numUsers + 1];
            for (int[] p : parts) {
                for (int k = 0; k < p.length; k += stride) {
                    int f = all ? 0 : slot[p[k + 2]];
                    if (f >= 0) {
                        itemEnd[f][p[k + 1] + 1]++;
                        rowStart[f][p[k] + 1]++;
                    }
                }
            }
            int[][] usersByItem = new int[m][];
            for (int f = 0; f < m; f++) {
                for (int j = 0; j < numItems; j++) {
                    itemEnd[f][j + 1] += itemEnd[f][j];
                }
                for (int r = 0; r < numUsers; r++) {
                    rowStart[f][r + 1] += rowStart[f][r];
                }
                usersByItem[f] = new int[rowStart[f][numUsers]];
            }
            for (int[] p : parts) {
                for (int k = 0; k < p.length; k += stride) {
                    int f = all ? 0 : slot[p[k + 2]];
                    if (f >= 0) {
                        usersByItem[f][itemEnd[f][p[k + 1]]++] = p[k];
                    }
                }
            }
            Adjacency[] out = new Adjacency[m];
            for (int f = 0; f < m; f++) {
                out[f] = deal(numUsers, numItems, itemEnd[f], rowStart[f], usersByItem[f]);
            }
            return out;
        }

        /** The matrix of the users bucketed by item ({@code itemEnd[j]}: the end of item j's users). */
        private static Adjacency deal(int numUsers, int numItems, int[] itemEnd, int[] rowStart, int[] usersByItem) {
            int n = usersByItem.length;
            int[] columns = new int[n];
            int[] fill = Arrays.copyOf(rowStart, numUsers);
            for (int j = 0, q = 0; j < numItems; j++) {
                for (; q < itemEnd[j]; q++) {
                    columns[fill[usersByItem[q]]++] = j;
                }
            }
            int[] offsets = new int[numUsers + 1];
            int out = 0;
            for (int r = 0; r < numUsers; r++) {
                offsets[r] = out;
                for (int q = rowStart[r]; q < rowStart[r + 1]; q++) {
                    if (q == rowStart[r] || columns[q] != columns[q - 1]) {
                        columns[out++] = columns[q];
                    }
                }
            }
            offsets[numUsers] = out;
            return new Adjacency(numUsers, numItems, offsets, out == n ? columns : Arrays.copyOf(columns, out));
        }
    }
}
