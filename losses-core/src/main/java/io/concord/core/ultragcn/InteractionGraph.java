package io.concord.core.ultragcn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A user–item interaction graph with a train/test split, as the LightGCN/UltraGCN split files describe it: binary
 * user × item matrices for train and test over the same id space.
 *
 * <p>{@code numUsers} and {@code numItems} follow the official code: one more than the largest id seen in train OR
 * test (ids are 0-based; a user or item may have no interactions at all).
 */
public final class InteractionGraph implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int numUsers;
    private final int numItems;
    private final Adjacency train;
    private final Adjacency test;

    public InteractionGraph(Adjacency train, Adjacency test) {
        if (train.numRows() != test.numRows() || train.numColumns() != test.numColumns()) {
            throw new IllegalArgumentException("train " + train + " and test " + test + " must have the same shape");
        }
        this.numUsers = train.numRows();
        this.numItems = train.numColumns();
        this.train = train;
        this.test = test;
    }

    public int numUsers() {
        return numUsers;
    }

    public int numItems() {
        return numItems;
    }

    /** Users × items train matrix. */
    public Adjacency train() {
        return train;
    }

    /** Users × items test matrix. */
    public Adjacency test() {
        return test;
    }

    public int trainSize() {
        return train.nnz();
    }

    public int testSize() {
        return test.nnz();
    }

    /** The train pairs as training records, user-major, items ascending (the order of the split file). */
    public List<Interaction> trainInteractions() {
        List<Interaction> out = new ArrayList<>(train.nnz());
        int[] cols = train.columnArray();
        for (int u = 0; u < numUsers; u++) {
            for (int p = train.rowStart(u); p < train.rowEnd(u); p++) {
                out.add(new Interaction(u, cols[p]));
            }
        }
        return out;
    }

    /** Number of users with at least one test item. */
    public int usersWithTestItems() {
        int n = 0;
        for (int u = 0; u < numUsers; u++) {
            if (test.degree(u) > 0) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "InteractionGraph[users=" + numUsers + ", items=" + numItems + ", train=" + train.nnz() + ", test="
                + test.nnz() + "]";
    }
}
