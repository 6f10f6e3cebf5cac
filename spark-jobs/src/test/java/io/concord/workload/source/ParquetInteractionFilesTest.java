package io.concord.workload.source;

import io.concord.core.ultragcn.Adjacency;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.data.DataException;
import io.concord.data.graph.IdMap;
import io.concord.data.graph.PerUserSplit;
import io.concord.job.ConcordSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link ParquetInteractionFiles} (the driver-side Parquet reader that {@link InteractionTables#read} tries first)
 * gives exactly the graph and id maps of the Spark SQL path for the same files — int32 and sparse int64 ids, several
 * files and row groups, plain, dictionary and v2 pages, string and boolean split columns, train + test sources,
 * repeated pairs — and its errors are the Spark path's; string ids, a {@code data.where} and partition directories go
 * through Spark SQL.
 */
class ParquetInteractionFilesTest {

    @TempDir
    static File tmp;

    private static SparkSession spark;
    private static Configuration conf;

    @BeforeAll
    static void start() {
        spark = ConcordSpark.session(ConcordSpark.conf("local[2]", "parquet-files-test", Map.of("spark.ui.enabled",
                "false", "spark.sql.shuffle.partitions", "4")));
        conf = spark.sparkContext().hadoopConfiguration();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void int32IdsWithAStringSplitColumnInSeveralFilesAndRowGroupsEqualTheSparkPath() throws IOException {
        List<long[]> rows = interactions(1, 3000, 120, 90, u -> u, i -> i * 3 + 5);
        File dir = write("int32-split", rows, DataTypes.IntegerType, f -> f == 1 ? "test" : "train", 3, true);
        assertThat(rowGroups(dir)).isGreaterThan(3); // files × several row groups each
        assertThat(firstPage(dir)).isInstanceOf(DataPageV1.class);
        TableSource source = source(dir, "data.path");
        InteractionColumns columns = new InteractionColumns("user", "item", null, null, "split");
        InteractionTables.Loaded direct = assertSameAsSpark(source, null, columns, 0, 0);
        assertThat(direct.graph().train()).isEqualTo(expected(rows, 0, direct));
        assertThat(direct.graph().test()).isEqualTo(expected(rows, 1, direct));
    }

    @Test
    void sparseInt64IdsOfTrainAndTestSourcesEqualTheSparkPath() throws IOException {
        LongFunction<Long> user = u -> u * 1_000_003L + (1L << 40) - 5_000_000_000L;
        LongFunction<Long> item = i -> Long.MIN_VALUE / 3 + i * 7_919L;
        List<long[]> rows = interactions(2, 2500, 150, 80, user, item);
        List<long[]> train = rows.stream().filter(r -> r[2] == 0).toList();
        List<long[]> test = rows.stream().filter(r -> r[2] == 1).toList();
        File trainDir = write("int64-train", train, DataTypes.LongType, null, 3, false);
        File testDir = write("int64-test", test, DataTypes.LongType, null, 2, true);
        File v2Dir = write("int64-test-v2", test, DataTypes.LongType, null, 2, true, "PARQUET_2_0");
        InteractionTables.Loaded direct = assertSameAsSpark(source(trainDir, "data.train"),
                source(testDir, "data.test"), InteractionColumns.defaults(), 0, 0);
        assertThat(direct.users().originalLong(0)).isEqualTo(rows.stream().mapToLong(r -> r[0]).min().orElseThrow());
        assertThat(direct.graph().train()).isEqualTo(expected(rows, 0, direct));
        assertThat(direct.graph().test()).isEqualTo(expected(rows, 1, direct));
        // data pages v2 (delta-encoded longs without a dictionary)
        assertThat(firstPage(v2Dir)).isInstanceOf(DataPageV2.class);
        InteractionTables.Loaded v2 = assertSameAsSpark(source(trainDir, "data.train"), source(v2Dir, "data.test"),
                InteractionColumns.defaults(), 0, 0);
        assertThat(v2.graph().test()).isEqualTo(direct.graph().test());
    }

    @Test
    void aBooleanSplitColumnEqualsTheSparkPath() throws IOException {
        List<long[]> rows = interactions(3, 1500, 60, 70, u -> u + 10, i -> i);
        File dir = write("boolean-split", rows, DataTypes.IntegerType, f -> f == 1, 2, true);
        InteractionColumns columns = new InteractionColumns(null, null, null, null, "split");
        InteractionTables.Loaded direct = assertSameAsSpark(source(dir, "data.path"), null, columns, 0, 0);
        assertThat(direct.graph().test()).isEqualTo(expected(rows, 1, direct));
        File v2 = write("boolean-split-v2", rows, DataTypes.IntegerType, f -> f == 1, 2, true, "PARQUET_2_0");
        assertThat(assertSameAsSpark(source(v2, "data.path"), null, columns, 0, 0).graph().train())
                .isEqualTo(direct.graph().train());
    }

    @Test
    void oneSourceWithoutASplitColumnIsSplitPerUserLikeTheSparkPathAndMappedWeightAndTimeAreOnlyChecked() {
        List<long[]> rows = interactions(4, 2000, 80, 60, u -> u, i -> i + 1000);
        List<Row> out = new ArrayList<>();
        for (long[] r : rows) {
            out.add(RowFactory.create(r[0], (int) r[1], r[1] * 0.5, new Timestamp(1_700_000_000_000L + r[0])));
        }
        File dir = new File(tmp, "weighted");
        spark.createDataFrame(out, new StructType().add("uid", DataTypes.LongType).add("iid", DataTypes.IntegerType)
                .add("w", DataTypes.DoubleType).add("ts", DataTypes.TimestampType)).repartition(2)
                .write().parquet(dir.toString());
        InteractionColumns columns = new InteractionColumns("uid", "iid", "w", "ts", null);
        InteractionTables.Loaded direct = assertSameAsSpark(source(dir, "data.path"), null, columns, 0.25, 42);
        Adjacency all = expected(rows, -1, direct);
        InteractionGraph split = PerUserSplit.split(all, 0.25, 42);
        assertThat(direct.graph().train()).isEqualTo(split.train());
        assertThat(direct.graph().test()).isEqualTo(split.test()).matches(t -> t.nnz() > 0);

        // a mapped weight column Spark rejects: the Spark path reports it
        InteractionColumns badWeight = new InteractionColumns("uid", "iid", "ts", null, null);
        assertThat(ParquetInteractionFiles.read(conf, source(dir, "data.path"), null, badWeight, 0.25, 42)).isNull();
        assertThat(error(source(dir, "data.path"), null, badWeight, true))
                .hasMessageContaining("column 'ts' (data.columns.weight) has type timestamp, expected a numeric type");
    }

    @Test
    void nullIdsGiveTheSparkPathsMessage() {
        StructType schema = new StructType().add("user", DataTypes.LongType).add("item", DataTypes.LongType);
        List<Row> users = List.of(RowFactory.create(1L, 2L), RowFactory.create(null, 3L),
                RowFactory.create(null, null), RowFactory.create(2L, 3L));
        List<Row> items = List.of(RowFactory.create(1L, 2L), RowFactory.create(2L, null));
        spark.createDataFrame(users, schema).repartition(2).write().parquet(new File(tmp, "null-users").toString());
        spark.createDataFrame(items, schema).write().parquet(new File(tmp, "null-items").toString());
        TableSource train = source(new File(tmp, "null-items"), "data.train");
        TableSource test = source(new File(tmp, "null-users"), "data.test");
        DataException direct = error(train, test, InteractionColumns.defaults(), true);
        assertThat(direct).hasMessageContaining("column 'user' (data.columns.user) has 2 null values")
                .hasMessage(error(train, test, InteractionColumns.defaults(), false).getMessage());
        DataException item = error(train, null, InteractionColumns.defaults(), true);
        assertThat(item).hasMessageContaining("column 'item' (data.columns.item) has 1 null values")
                .hasMessage(error(train, null, InteractionColumns.defaults(), false).getMessage());
    }

    @Test
    void aBadSplitValueGivesTheSparkPathsMessage() {
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            rows.add(RowFactory.create(k % 20, k % 13, k == 150 ? "Test" : k % 4 == 0 ? "test" : "train"));
        }
        spark.createDataFrame(rows, new StructType().add("user", DataTypes.IntegerType)
                .add("item", DataTypes.IntegerType).add("split", DataTypes.StringType)).repartition(3)
                .write().parquet(new File(tmp, "bad-split").toString());
        TableSource source = source(new File(tmp, "bad-split"), "data.path");
        InteractionColumns columns = new InteractionColumns(null, null, null, null, "split");
        assertThat(error(source, null, columns, true))
                .hasMessageContaining("column 'split' (data.columns.split) has the value 'Test', expected 'train' "
                        + "or 'test'")
                .hasMessage(error(source, null, columns, false).getMessage());
    }

    @Test
    void stringIdsAWhereFilterAndPartitionDirectoriesGoThroughSpark() {
        List<long[]> rows = interactions(5, 800, 40, 30, u -> u, i -> i);
        InteractionColumns split = new InteractionColumns(null, null, null, null, "split");

        File plain = write("where", rows, DataTypes.IntegerType, f -> f == 1 ? "test" : "train", 2, false);
        InteractionTables.Loaded ints = assertSameAsSpark(source(plain, "data.path"), null, split, 0, 0);

        // zero-padded string ids sort like the integers: the same graph
        List<Row> strings = new ArrayList<>();
        for (long[] r : rows) {
            strings.add(RowFactory.create(String.format("u%03d", r[0]), String.format("i%03d", r[1]),
                    r[2] == 1 ? "test" : "train"));
        }
        File stringDir = new File(tmp, "strings");
        spark.createDataFrame(strings, new StructType().add("user", DataTypes.StringType)
                .add("item", DataTypes.StringType).add("split", DataTypes.StringType)).write()
                .parquet(stringDir.toString());
        TableSource stringSource = source(stringDir, "data.path");
        assertThat(ParquetInteractionFiles.read(conf, stringSource, null, split, 0, 0)).isNull();
        InteractionTables.Loaded viaStrings = InteractionTables.read(spark, stringSource, null, split, 0, 0);
        assertThat(viaStrings.users().type()).isEqualTo(IdMap.KeyType.STRING);
        assertThat(viaStrings.users().size()).isEqualTo(ints.users().size());
        assertThat(viaStrings.graph().train()).isEqualTo(ints.graph().train());
        assertThat(viaStrings.graph().test()).isEqualTo(ints.graph().test());
        // and as train + test sources
        StructType pair = new StructType().add("user", DataTypes.StringType).add("item", DataTypes.StringType);
        for (int flag = 0; flag < 2; flag++) {
            int f = flag;
            spark.createDataFrame(strings.stream().filter(r -> r.getString(2).equals(f == 1 ? "test" : "train"))
                    .map(r -> RowFactory.create(r.get(0), r.get(1))).toList(), pair).repartition(2).write()
                    .parquet(new File(tmp, "strings-" + flag).toString());
        }
        TableSource stringTrain = source(new File(tmp, "strings-0"), "data.train");
        TableSource stringTest = source(new File(tmp, "strings-1"), "data.test");
        assertThat(ParquetInteractionFiles.read(conf, stringTrain, stringTest, split, 0, 0)).isNull();
        InteractionTables.Loaded twoSources = InteractionTables.read(spark, stringTrain, stringTest, split, 0, 0);
        assertThat(twoSources.graph().train()).isEqualTo(ints.graph().train());
        assertThat(twoSources.graph().test()).isEqualTo(ints.graph().test());

        TableSource where = new TableSource(SqlFormat.PARQUET, plain.toString(), "item < 20", null, "data.path");
        assertThat(ParquetInteractionFiles.read(conf, where, null, split, 0, 0)).isNull();
        List<long[]> kept = rows.stream().filter(r -> r[1] < 20).toList();
        InteractionTables.Loaded filtered = InteractionTables.read(spark, where, null, split, 0, 0);
        assertThat(filtered.items().size()).isEqualTo((int) kept.stream().mapToLong(r -> r[1]).distinct().count());
        assertThat(filtered.graph().train()).isEqualTo(expected(kept, 0, filtered));
        assertThat(filtered.graph().test()).isEqualTo(expected(kept, 1, filtered));

        List<Row> parted = new ArrayList<>();
        for (long[] r : rows) {
            parted.add(RowFactory.create((int) r[0], (int) r[1], r[2] == 1 ? "test" : "train", "d" + r[0] % 2));
        }
        File partDir = new File(tmp, "partitioned");
        spark.createDataFrame(parted, new StructType().add("user", DataTypes.IntegerType)
                .add("item", DataTypes.IntegerType).add("split", DataTypes.StringType).add("ds", DataTypes.StringType))
                .write().partitionBy("ds").parquet(partDir.toString());
        TableSource partitioned = source(partDir, "data.path");
        assertThat(ParquetInteractionFiles.read(conf, partitioned, null, split, 0, 0)).isNull();
        InteractionTables.Loaded viaParts = InteractionTables.read(spark, partitioned, null, split, 0, 0);
        assertThat(viaParts.users().size()).isEqualTo((int) rows.stream().mapToLong(r -> r[0]).distinct().count());
        assertThat(viaParts.graph().train()).isEqualTo(expected(rows, 0, viaParts));
        assertThat(viaParts.graph().test()).isEqualTo(expected(rows, 1, viaParts));
    }

    /** The direct reader applies and equals the forced Spark SQL path: CSR arrays and id maps. */
    private static InteractionTables.Loaded assertSameAsSpark(TableSource train, TableSource test,
                                                              InteractionColumns columns, double fraction, long seed) {
        InteractionTables.Loaded direct = ParquetInteractionFiles.read(conf, train, test, columns, fraction, seed);
        assertThat(direct).as("the direct reader applies").isNotNull();
        InteractionTables.Loaded viaSpark = InteractionTables.read(spark, train, test, columns, fraction, seed, false);
        for (Adjacency[] m : new Adjacency[][] {{direct.graph().train(), viaSpark.graph().train()},
                {direct.graph().test(), viaSpark.graph().test()}}) {
            assertThat(m[0].numRows()).isEqualTo(m[1].numRows());
            assertThat(m[0].numColumns()).isEqualTo(m[1].numColumns());
            assertThat(m[0].offsetArray()).isEqualTo(m[1].offsetArray());
            assertThat(m[0].columnArray()).isEqualTo(m[1].columnArray());
        }
        assertThat(ids(direct.users())).isEqualTo(ids(viaSpark.users())).isNotEmpty();
        assertThat(ids(direct.items())).isEqualTo(ids(viaSpark.items())).isNotEmpty();
        assertThat(direct.users().type()).isEqualTo(IdMap.KeyType.LONG).isEqualTo(viaSpark.users().type());
        // and InteractionTables.read takes the direct path: the same result
        InteractionTables.Loaded auto = InteractionTables.read(spark, train, test, columns, fraction, seed);
        assertThat(auto.graph().train()).isEqualTo(direct.graph().train());
        assertThat(auto.graph().test()).isEqualTo(direct.graph().test());
        return direct;
    }

    private static DataException error(TableSource train, TableSource test, InteractionColumns columns,
                                       boolean directFiles) {
        return catchThrowableOfType(() -> InteractionTables.read(spark, train, test, columns, 0, 0, directFiles),
                DataException.class);
    }

    private static long[] ids(IdMap map) {
        long[] out = new long[map.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = map.originalLong(i);
        }
        return out;
    }

    /**
     * {@code (user, item, flag)} rows, flag 1 = test for about a fifth; ids through the functions; every tenth row
     * repeated (a repeated pair counts once in the graph).
     */
    private static List<long[]> interactions(long seed, int n, int users, int items, LongFunction<Long> user,
                                             LongFunction<Long> item) {
        Random random = new Random(seed);
        List<long[]> rows = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            long[] r = {user.apply(random.nextInt(users)), item.apply(random.nextInt(items)),
                    random.nextInt(5) == 0 ? 1 : 0};
            rows.add(r);
            if (k % 10 == 0) {
                rows.add(r.clone());
            }
        }
        return rows;
    }

    /** Rows written by Spark as {@code user, item[, split]}; small row groups where asked. */
    private static File write(String name, List<long[]> rows, DataType idType, SplitValue split, int files,
                              boolean smallRowGroups) {
        return write(name, rows, idType, split, files, smallRowGroups, "PARQUET_1_0");
    }

    /** {@link #write} with data pages of that Parquet writer version ({@code PARQUET_2_0}: v2 pages). */
    private static File write(String name, List<long[]> rows, DataType idType, SplitValue split, int files,
                              boolean smallRowGroups, String writerVersion) {
        StructType schema = new StructType().add("user", idType).add("item", idType);
        if (split != null) {
            schema = schema.add("split", split.of(0) instanceof Boolean ? DataTypes.BooleanType
                    : DataTypes.StringType);
        }
        List<Row> out = new ArrayList<>();
        for (long[] r : rows) {
            Object u = idType == DataTypes.IntegerType ? (Object) (int) r[0] : (Object) r[0];
            Object i = idType == DataTypes.IntegerType ? (Object) (int) r[1] : (Object) r[1];
            out.add(split == null ? RowFactory.create(u, i) : RowFactory.create(u, i, split.of((int) r[2])));
        }
        File dir = new File(tmp, name);
        var writer = spark.createDataFrame(out, schema).repartition(files).write()
                .option("parquet.writer.version", writerVersion);
        if (smallRowGroups) {
            writer = writer.option("parquet.block.size", "4096").option("parquet.page.size", "1024")
                    .option("parquet.enable.dictionary", idType == DataTypes.LongType ? "false" : "true");
        }
        writer.parquet(dir.toString());
        return dir;
    }

    private interface SplitValue {
        Object of(int flag);
    }

    private static int rowGroups(File dir) throws IOException {
        int groups = 0;
        for (File f : dir.listFiles((d, n) -> n.endsWith(".parquet"))) {
            try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(f.toURI()), conf))) {
                groups += r.getRowGroups().size();
            }
        }
        return groups;
    }

    private static DataPage firstPage(File dir) throws IOException {
        File f = dir.listFiles((d, n) -> n.endsWith(".parquet"))[0];
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(f.toURI()), conf))) {
            PageReadStore group = r.readNextRowGroup();
            return group.getPageReader(r.getFileMetaData().getSchema().getColumns().get(0)).readPage();
        }
    }

    /** The expected matrix of the rows with the flag (-1 = all), through the loaded id maps. */
    private static Adjacency expected(List<long[]> rows, int flag, InteractionTables.Loaded loaded) {
        int[] u = new int[rows.size()];
        int[] i = new int[rows.size()];
        int n = 0;
        for (long[] r : rows) {
            if (flag < 0 || r[2] == flag) {
                u[n] = loaded.users().indexOf(r[0]);
                i[n++] = loaded.items().indexOf(r[1]);
            }
        }
        assertThat(Arrays.stream(u, 0, n).min().orElse(0)).isNotNegative();
        assertThat(Arrays.stream(i, 0, n).min().orElse(0)).isNotNegative();
        return Adjacency.fromPairs(loaded.users().size(), loaded.items().size(), u, i, n);
    }

    private static TableSource source(File dir, String key) {
        return new TableSource(SqlFormat.PARQUET, dir.toString(), null, null, key);
    }
}
