package io.concord.data.graph;

import io.concord.core.ultragcn.Adjacency;

import java.util.Arrays;

/**
 * Interactions read from an edge list: parallel arrays of user ids, item ids and (optional) weights, in file order.
 * Repeated pairs are kept here; {@link #toAdjacency} collapses them (binary matrix).
 */
public final class EdgeList {

    private final int[] users;
    private final int[] items;
    private final float[] weights;
    private final int maxUser;
    private final int maxItem;

    EdgeList(int[] users, int[] items, float[] weights) {
        this.users = users;
        this.items = items;
        this.weights = weights;
        int mu = -1;
        int mi = -1;
        for (int p = 0; p < users.length; p++) {
            mu = Math.max(mu, users[p]);
            mi = Math.max(mi, items[p]);
        }
        this.maxUser = mu;
        this.maxItem = mi;
    }

    public int size() {
        return users.length;
    }

    public int user(int p) {
        return users[p];
    }

    public int item(int p) {
        return items[p];
    }

    public boolean hasWeights() {
        return weights != null;
    }

    /** Weight of edge p; 1 when the file has no weight column. */
    public float weight(int p) {
        return weights == null ? 1f : weights[p];
    }

    /** Largest user id + 1 (0 if empty). */
    public int numUsers() {
        return maxUser + 1;
    }

    /** Largest item id + 1 (0 if empty). */
    public int numItems() {
        return maxItem + 1;
    }

    public int[] users() {
        return Arrays.copyOf(users, users.length);
    }

    public int[] items() {
        return Arrays.copyOf(items, items.length);
    }

    /** Weights copy, or null when the file has none. */
    public float[] weights() {
        return weights == null ? null : Arrays.copyOf(weights, weights.length);
    }

    /** The binary users × items matrix (repeated pairs counted once; weights ignored). */
    public Adjacency toAdjacency(int numUsers, int numItems) {
        if (numUsers < numUsers() || numItems < numItems()) {
            throw new IllegalArgumentException("edge list needs at least " + numUsers() + " users and " + numItems()
                    + " items, got " + numUsers + " × " + numItems);
        }
        return Adjacency.fromPairs(numUsers, numItems, users, items, users.length);
    }
}
