package io.concord.core.ultragcn;

import java.io.Serializable;

/**
 * One observed (user, item) interaction: the training record of UltraGCN (one positive pair). A plain final class, not
 * a Java record, so Kryo can instantiate and fill it.
 */
public final class Interaction implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int user;
    private final int item;

    public Interaction(int user, int item) {
        if (user < 0 || item < 0) {
            throw new IllegalArgumentException("user and item ids must be >= 0, got (" + user + ", " + item + ")");
        }
        this.user = user;
        this.item = item;
    }

    public int user() {
        return user;
    }

    public int item() {
        return item;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Interaction other && user == other.user && item == other.item;
    }

    @Override
    public int hashCode() {
        return 31 * user + item;
    }

    @Override
    public String toString() {
        return "(" + user + ", " + item + ")";
    }
}
