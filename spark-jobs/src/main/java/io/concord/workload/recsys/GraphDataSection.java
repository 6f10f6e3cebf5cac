package io.concord.workload.recsys;

import io.concord.config.ConfigException;
import io.concord.config.RecordReading;
import io.concord.data.graph.SyntheticGraphSpec;
import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;

/**
 * The {@code data:} section shared by the recommendation jobs ({@code ultragcn}, {@code als}): exactly one source of
 * a user–item interaction graph with a train/test split.
 *
 * @param train        LightGCN/UltraGCN split format train file ({@code user item item …} per line), any Hadoop URI
 * @param test         the matching test file (required with {@code train})
 * @param edges        an edge list {@code user,item[,weight]} (CSV or TSV, header optional; a file or a directory of
 *                     part files), split per user at random with {@code testFraction} and the job seed
 * @param testFraction fraction of each user's interactions held out for test when reading {@code edges}
 * @param generate     a generated clustered, power-law graph (the default when no file is given)
 * @param maxRecordBytes longest accepted line of {@code train}/{@code test}/{@code edges} in bytes (default 16 MiB)
 * @param onBadRecord    {@code fail} (default) or {@code skip} malformed lines
 */
public record GraphDataSection(String train, String test, String edges, Double testFraction, Generate generate,
                               Long maxRecordBytes, OnBadRecord onBadRecord) {

    public GraphDataSection {
        boolean split = train != null || test != null;
        int sources = (split ? 1 : 0) + (edges != null ? 1 : 0) + (generate != null ? 1 : 0);
        if (sources > 1) {
            throw new ConfigException("data", "set exactly one of data.train + data.test, data.edges, "
                    + "data.generate");
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
            throw new ConfigException("data.testFraction", "applies to data.edges only");
        }
        testFraction = edges != null && testFraction == null ? Double.valueOf(0.2) : testFraction;
        if (testFraction != null && !(testFraction > 0 && testFraction < 1)) {
            throw new ConfigException("data.testFraction", testFraction, "a number in (0, 1)");
        }
        if (sources == 0) {
            generate = Generate.defaults();
        }
        maxRecordBytes = RecordReading.maxRecordBytes(maxRecordBytes);
        onBadRecord = RecordReading.onBadRecord(onBadRecord);
    }

    public static GraphDataSection defaults() {
        return new GraphDataSection(null, null, null, null, null, null, null);
    }

    public ReadOptions reading() {
        return new ReadOptions(maxRecordBytes, onBadRecord);
    }

    /** A short name of the source for messages and summaries. */
    public String describe() {
        if (train != null) {
            return train + " + " + test;
        }
        if (edges != null) {
            return edges + " (per-user split " + testFraction + ")";
        }
        return "generated graph " + generate;
    }

    private static void blankCheck(String key, String value) {
        if (value != null && value.isBlank()) {
            throw new ConfigException(key, value, "a file URI");
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
