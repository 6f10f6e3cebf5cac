package io.concord.workload.recsys;

import io.concord.config.ConfigException;
import io.concord.config.RecordReading;
import io.concord.data.graph.SyntheticGraphSpec;
import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;
import io.concord.workload.source.InteractionColumns;
import io.concord.workload.source.SqlFormat;
import io.concord.workload.source.TableSource;

import java.util.List;
import java.util.Map;

/**
 * The {@code data:} section shared by the recommendation jobs ({@code ultragcn}, {@code als}): exactly one source of
 * a user–item interaction graph with a train/test split — text files, a Spark SQL source, or a generated graph.
 *
 * @param train        LightGCN/UltraGCN split format train file ({@code user item item …} per line), any Hadoop URI;
 *                     with a Spark SQL {@code format}: the train path (or table, with {@code format: table})
 * @param test         the matching test file, path or table (required with {@code train})
 * @param edges        an edge list {@code user,item[,weight]} (CSV or TSV, header optional; a file or a directory of
 *                     part files), split per user at random with {@code testFraction} and the job seed
 * @param testFraction fraction of each user's interactions held out for test when reading {@code edges}, or a single
 *                     Spark SQL source without a split column (default 0.2)
 * @param generate     a generated clustered, power-law graph (the default when no file is given)
 * @param format       {@code lightgcn} (the split files; default with {@code train}), {@code edges} (default with
 *                     {@code edges}), or a Spark SQL source: {@code parquet}, {@code orc}, {@code csv}, {@code json}
 *                     (files at {@code path}) or {@code table} (a catalog table, {@code table}); docs/data.md
 * @param path         files of a Spark SQL file format, one source split into train and test
 * @param table        a catalog table ({@code db.name}), one source split into train and test; implies
 *                     {@code format: table}
 * @param where        a SQL filter applied to every Spark SQL source, e.g. {@code ds = '2026-12-01'}
 * @param columns      the column mapping of Spark SQL sources ({@link InteractionColumns}: defaults {@code user},
 *                     {@code item})
 * @param options      Spark reader options of the file formats (e.g. {@code sep: "\t"} for csv)
 * @param maxRecordBytes longest accepted line of {@code train}/{@code test}/{@code edges} in bytes (default 16 MiB)
 * @param onBadRecord    {@code fail} (default) or {@code skip} malformed lines of the text files
 */
public record GraphDataSection(String train, String test, String edges, Double testFraction, Generate generate,
                               String format, String path, String table, String where, InteractionColumns columns,
                               Map<String, String> options, Long maxRecordBytes, OnBadRecord onBadRecord) {

    private static final List<String> TEXT_FORMATS = List.of("lightgcn", "edges");

    public GraphDataSection {
        if (table != null && format == null) {
            format = SqlFormat.TABLE.key();
        }
        SqlFormat sql = SqlFormat.of(format);
        if (format != null && sql == null && !TEXT_FORMATS.contains(format)) {
            throw new ConfigException("data.format", format, "one of " + String.join(", ", TEXT_FORMATS) + ", "
                    + SqlFormat.allowed());
        }
        if (sql != null) {
            format = sql.key();
            columns = columns == null ? InteractionColumns.defaults() : columns;
            testFraction = checkSql(sql, train, test, edges, testFraction, generate, path, table, where, columns);
        } else {
            for (Object[] kv : new Object[][] {{"data.path", path}, {"data.table", table}, {"data.where", where},
                    {"data.columns", columns}, {"data.options", options}}) {
                if (kv[1] != null) {
                    throw new ConfigException((String) kv[0], "applies to the Spark SQL sources only (data.format: "
                            + SqlFormat.allowed() + ")");
                }
            }
            if ("lightgcn".equals(format) && train == null) {
                throw new ConfigException("data.train", "is required with data.format lightgcn");
            }
            if ("edges".equals(format) && edges == null) {
                throw new ConfigException("data.edges", "is required with data.format edges");
            }
            testFraction = checkText(train, test, edges, testFraction, generate);
        }
        options = options == null ? null : Map.copyOf(options);
        maxRecordBytes = RecordReading.maxRecordBytes(maxRecordBytes);
        onBadRecord = RecordReading.onBadRecord(onBadRecord);
        if (sql == null && train == null && edges == null && generate == null) {
            generate = Generate.defaults();
        }
    }

    private static Double checkText(String train, String test, String edges, Double testFraction,
                                    Generate generate) {
        boolean split = train != null || test != null;
        int sources = (split ? 1 : 0) + (edges != null ? 1 : 0) + (generate != null ? 1 : 0);
        if (sources > 1) {
            throw new ConfigException("data", "set exactly one of data.train + data.test, data.edges, "
                    + "data.generate, or a Spark SQL source (data.format + data.path / data.table)");
        }
        if (split && (train == null || test == null)) {
            throw new ConfigException(train == null ? "data.train" : "data.test",
                    "is required together with " + (train == null ? "data.test" : "data.train")
                            + " (LightGCN split files)");
        }
        blankCheck("data.train", train);
        blankCheck("data.test", test);
        blankCheck("data.edges", edges);
        if (testFraction != null && edges == null) {
            throw new ConfigException("data.testFraction", "applies to data.edges and single Spark SQL sources only");
        }
        return checkFraction(edges != null && testFraction == null ? Double.valueOf(0.2) : testFraction);
    }

    private static Double checkSql(SqlFormat sql, String train, String test, String edges, Double testFraction,
                                   Generate generate, String path, String table, String where,
                                   InteractionColumns columns) {
        if (edges != null || generate != null) {
            throw new ConfigException(edges != null ? "data.edges" : "data.generate", "cannot be combined with "
                    + "data.format " + sql.key() + " (set data.generate=null for a Spark SQL source)");
        }
        if (sql == SqlFormat.TABLE && path != null) {
            throw new ConfigException("data.path", "does not apply to data.format table (name it in data.table)");
        }
        if (sql != SqlFormat.TABLE && table != null) {
            throw new ConfigException("data.table", "applies to data.format table only, not " + sql.key());
        }
        String single = sql == SqlFormat.TABLE ? table : path;
        String singleKey = sql == SqlFormat.TABLE ? "data.table" : "data.path";
        boolean pair = train != null || test != null;
        if (single != null && pair) {
            throw new ConfigException("data", "set either " + singleKey + " (one source split into train and test) "
                    + "or data.train + data.test (two sources), not both");
        }
        if (single == null && !pair) {
            throw new ConfigException(singleKey, "is required with data.format " + sql.key()
                    + " (or data.train + data.test)");
        }
        if (pair && (train == null || test == null)) {
            throw new ConfigException(train == null ? "data.train" : "data.test", "is required together with "
                    + (train == null ? "data.test" : "data.train"));
        }
        blankCheck(singleKey, single);
        blankCheck("data.train", train);
        blankCheck("data.test", test);
        if (where != null && where.isBlank()) {
            throw new ConfigException("data.where", where, "a SQL filter, e.g. ds = '2026-12-01'");
        }
        if (pair && columns.split() != null) {
            throw new ConfigException("data.columns.split", "applies to a single source (" + singleKey + ") only");
        }
        if (testFraction != null && (pair || columns.split() != null)) {
            throw new ConfigException("data.testFraction", "applies to a single source without data.columns.split");
        }
        return checkFraction(!pair && columns.split() == null && testFraction == null ? Double.valueOf(0.2)
                : testFraction);
    }

    private static Double checkFraction(Double testFraction) {
        if (testFraction != null && !(testFraction > 0 && testFraction < 1)) {
            throw new ConfigException("data.testFraction", testFraction, "a number in (0, 1)");
        }
        return testFraction;
    }

    public static GraphDataSection defaults() {
        return new GraphDataSection(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public ReadOptions reading() {
        return new ReadOptions(maxRecordBytes, onBadRecord);
    }

    /** A short name of the source for messages and summaries. */
    public String describe() {
        if (SqlFormat.of(format) != null) {
            List<TableSource> sources = tableSources();
            if (sources.size() == 2) {
                return sources.get(0).describe() + " + " + sources.get(1).describe();
            }
            return sources.get(0).describe() + (columns.split() != null ? " (split by column " + columns.split()
                    + ")" : " (per-user split " + testFraction + ")");
        }
        if (train != null) {
            return train + " + " + test;
        }
        if (edges != null) {
            return edges + " (per-user split " + testFraction + ")";
        }
        return "generated graph " + generate;
    }

    /** The Spark SQL sources ({@code [single]} or {@code [train, test]}); empty for text and generated data. */
    public List<TableSource> tableSources() {
        SqlFormat sql = SqlFormat.of(format);
        if (sql == null) {
            return List.of();
        }
        if (train != null) {
            return List.of(new TableSource(sql, train, where, options, "data.train"),
                    new TableSource(sql, test, where, options, "data.test"));
        }
        return List.of(sql == SqlFormat.TABLE ? new TableSource(sql, table, where, options, "data.table")
                : new TableSource(sql, path, where, options, "data.path"));
    }

    private static void blankCheck(String key, String value) {
        if (value != null && value.isBlank()) {
            throw new ConfigException(key, value, "a file URI or table name");
        }
    }

    /**
     * Parameters of {@link io.concord.data.graph.SyntheticInteractionGraphs}; defaults are the demo graph (2,000
     * users, 1,500 items, 20 clusters, mean degree 25).
     */
    public record Generate(Integer users, Integer items, Integer clusters, Double meanDegree, Double degreeExponent,
                           Double popularityExponent, Double clusterAffinity, Double testFraction) {

        public Generate {
            SyntheticGraphSpec demo = SyntheticGraphSpec.demo();
            users = users == null ? demo.numUsers() : users;
            items = items == null ? demo.numItems() : items;
            clusters = clusters == null ? demo.numClusters() : clusters;
            meanDegree = meanDegree == null ? demo.meanDegree() : meanDegree;
            degreeExponent = degreeExponent == null ? demo.degreeExponent() : degreeExponent;
            popularityExponent = popularityExponent == null ? demo.popularityExponent() : popularityExponent;
            clusterAffinity = clusterAffinity == null ? demo.clusterAffinity() : clusterAffinity;
            testFraction = testFraction == null ? demo.testFraction() : testFraction;
            spec(users, items, clusters, meanDegree, degreeExponent, popularityExponent, clusterAffinity,
                    testFraction);
        }

        static Generate defaults() {
            return new Generate(null, null, null, null, null, null, null, null);
        }

        public SyntheticGraphSpec spec() {
            return spec(users, items, clusters, meanDegree, degreeExponent, popularityExponent, clusterAffinity,
                    testFraction);
        }

        private static SyntheticGraphSpec spec(int users, int items, int clusters, double meanDegree,
                                               double degreeExponent, double popularityExponent,
                                               double clusterAffinity, double testFraction) {
            try {
                return new SyntheticGraphSpec(users, items, clusters, meanDegree, degreeExponent, popularityExponent,
                        clusterAffinity, testFraction);
            } catch (IllegalArgumentException e) {
                throw Keys.asConfig(e, "data.generate", "data.generate.");
            }
        }
    }
}
