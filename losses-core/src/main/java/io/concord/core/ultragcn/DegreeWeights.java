package io.concord.core.ultragcn;

import java.io.Serializable;

/**
 * The constraint weights β of UltraGCN from train degrees, as the official {@code load_data} computes them:
 * {@code β_u = sqrt(d_u + 1) / d_u}, {@code β_i = 1 / sqrt(d_i + 1)}, {@code β(u,i) = β_u · β_i}.
 *
 * <p>A user with no train items would get {@code +inf} in the official code; here such a user gets {@code β_u = 0}
 * (it never appears in a positive pair, so this only matters for the β-weighted part of a negative term of a user
 * without train items, which cannot be sampled either). Items seen only in test have {@code d_i = 0}, so
 * {@code β_i = 1}, exactly as in the official code.
 */
public final class DegreeWeights implements Serializable {

    private static final long serialVersionUID = 1L;

    private final float[] userBeta;
    private final float[] itemBeta;

    public DegreeWeights(float[] userBeta, float[] itemBeta) {
        this.userBeta = userBeta;
        this.itemBeta = itemBeta;
    }

    /** β tables from user and item train degrees (e.g. merged degree statistics of a distributed job). */
    public static DegreeWeights fromDegrees(int[] userDegrees, int[] itemDegrees) {
        float[] ub = new float[userDegrees.length];
        for (int u = 0; u < ub.length; u++) {
            int d = userDegrees[u];
            ub[u] = d == 0 ? 0f : (float) (Math.sqrt(d + 1.0) / d);
        }
        float[] ib = new float[itemDegrees.length];
        for (int i = 0; i < ib.length; i++) {
            ib[i] = (float) (1.0 / Math.sqrt(itemDegrees[i] + 1.0));
        }
        return new DegreeWeights(ub, ib);
    }

    public static DegreeWeights fromTrain(Adjacency train) {
        return fromDegrees(train.degrees(), train.columnDegrees());
    }

    public float userBeta(int user) {
        return userBeta[user];
    }

    public float itemBeta(int item) {
        return itemBeta[item];
    }

    /** The shared user table; do not modify. */
    public float[] userBetas() {
        return userBeta;
    }

    /** The shared item table; do not modify. */
    public float[] itemBetas() {
        return itemBeta;
    }

    public int numUsers() {
        return userBeta.length;
    }

    public int numItems() {
        return itemBeta.length;
    }
}
