package io.concord.workload.recsys;

import io.concord.config.ConfigException;
import io.concord.config.RecordReading;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;
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

    /**
     * The numeric {@code data:} key (docs/ultragcn.md's table is generated from it); the other keys name files,
     * tables and formats.
     */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.real("testFraction", 0.2, Rule.in(0, 1, false, false), "share of each user's interactions held "
                    + "out for test; data.edges and a single Spark SQL source without data.columns.split only"));

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
        return edges == null ? null : PARAMS.real("data", "testFraction", testFraction);
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
        boolean split = !pair && columns.split() == null;
        if (testFraction != null && !split) {
            throw new ConfigException("data.testFraction", "applies to a single source without data.columns.split");
        }
        return split ? PARAMS.real("data", "testFraction", testFraction) : null;
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

        private static final SyntheticGraphSpec DEMO = SyntheticGraphSpec.demo();

        /**
         * The {@code data.generate:} keys (docs/ultragcn.md's table is generated from them); the defaults are
         * {@link SyntheticGraphSpec#demo()}'s. Two bounds depend on {@code items} and are checked by the record:
         * {@code clusters <= items}, {@code meanDegree <= items / 2}.
         */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.integer("users", DEMO.numUsers(), Rule.atLeast(1), "users"),
                Param.integer("items", DEMO.numItems(), Rule.atLeast(2), "items"),
                Param.integer("clusters", DEMO.numClusters(), Rule.atLeast(1),
                        "latent taste clusters, at most items; every user and item belongs to one"),
                Param.real("meanDegree", DEMO.meanDegree(), new Rule("a number >= 1", v -> v >= 1),
                        "target mean interactions per user (before the split), at most items / 2"),
                Param.real("degreeExponent", DEMO.degreeExponent(), new Rule("a finite number > 2",
                        v -> v > 2 && !Double.isInfinite(v)),
                        "Pareto exponent of the user-degree distribution (smaller = heavier tail)"),
                Param.real("popularityExponent", DEMO.popularityExponent(), Rule.NON_NEGATIVE,
                        "Zipf exponent of item popularity (0 = uniform)"),
                Param.real("clusterAffinity", DEMO.clusterAffinity(), Rule.in(0, 1, true, true),
                        "probability that an interaction picks an item of the user's own cluster"),
                Param.real("testFraction", DEMO.testFraction(), Rule.UNIT_OPEN,
                        "share of each user's interactions held out for test"));

        private static final String SECTION = "data.generate";

        public Generate {
            users = PARAMS.integer(SECTION, "users", users);
            items = PARAMS.integer(SECTION, "items", items);
            clusters = PARAMS.integer(SECTION, "clusters", clusters);
            if (clusters > items) {
                throw new ConfigException("data.generate.clusters", clusters, "an integer in [1, data.generate.items="
                        + items + "]");
            }
            meanDegree = PARAMS.real(SECTION, "meanDegree", meanDegree);
            if (meanDegree > items / 2.0) {
                throw new ConfigException("data.generate.meanDegree", meanDegree, "a number in [1, data.generate.items"
                        + " / 2 = " + items / 2.0 + "]");
            }
            degreeExponent = PARAMS.real(SECTION, "degreeExponent", degreeExponent);
            popularityExponent = PARAMS.real(SECTION, "popularityExponent", popularityExponent);
            clusterAffinity = PARAMS.real(SECTION, "clusterAffinity", clusterAffinity);
            testFraction = PARAMS.real(SECTION, "testFraction", testFraction);
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
