package io.concord.data.graph;

import io.concord.core.param.ParamException;
/**
 * Shape of a generated interaction graph (config keys {@code data.<name>} in messages).
 *
 * @param numUsers           users
 * @param numItems           items
 * @param numClusters        latent taste clusters; every user and item belongs to one
 * @param meanDegree         target mean number of interactions per user (before the split)
 * @param degreeExponent     Pareto exponent α > 2 of the user-degree distribution (smaller = heavier tail)
 * @param popularityExponent Zipf exponent s ≥ 0 of item popularity (0 = uniform)
 * @param clusterAffinity    probability that an interaction picks an item from the user's own cluster, in [0, 1]
 * @param testFraction       fraction of each user's interactions held out for test, in [0, 1)
 */
public record SyntheticGraphSpec(int numUsers, int numItems, int numClusters, double meanDegree,
                                 double degreeExponent, double popularityExponent, double clusterAffinity,
                                 double testFraction) {

    public SyntheticGraphSpec {
        require(numUsers > 0, "data.numUsers", numUsers, "> 0");
        require(numItems > 1, "data.numItems", numItems, "> 1");
        require(numClusters > 0 && numClusters <= numItems, "data.numClusters", numClusters, "in [1, numItems]");
        require(meanDegree >= 1 && meanDegree <= numItems / 2.0, "data.meanDegree", meanDegree,
                "in [1, numItems / 2]");
        require(degreeExponent > 2, "data.degreeExponent", degreeExponent, "> 2");
        require(popularityExponent >= 0, "data.popularityExponent", popularityExponent, ">= 0");
        require(clusterAffinity >= 0 && clusterAffinity <= 1, "data.clusterAffinity", clusterAffinity,
                "in [0, 1]");
        require(testFraction >= 0 && testFraction < 1, "data.testFraction", testFraction, "in [0, 1)");
    }

    /** A small default for demos and tests: 2,000 users, 1,500 items, 20 clusters, mean degree 25. */
    public static SyntheticGraphSpec demo() {
        return new SyntheticGraphSpec(2000, 1500, 20, 25, 2.5, 0.8, 0.8, 0.2);
    }

    /** Amazon-Book's shape (52,643 users, 91,599 items, ~2.4M train interactions after a 20% split). */
    public static SyntheticGraphSpec amazonBookScale() {
        return new SyntheticGraphSpec(52_643, 91_599, 200, 59.4, 2.3, 0.9, 0.7, 0.2);
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new ParamException(key, "" + value + " is not allowed; must be " + rule);
        }
    }
}
