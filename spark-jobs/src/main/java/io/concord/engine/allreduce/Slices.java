package io.concord.engine.allreduce;

import java.io.Serializable;

/**
 * Splits {@code length} elements into {@code parts} contiguous slices whose sizes differ by at most one; partition p
 * owns slice p.
 */
public record Slices(int length, int parts) implements Serializable {

    public Slices {
        if (parts < 1 || length < 0) {
            throw new IllegalArgumentException("cannot split " + length + " elements into " + parts + " slices");
        }
    }

    public int lo(int p) {
        return (int) ((long) length * p / parts);
    }

    public int hi(int p) {
        return lo(p + 1);
    }

    public int size(int p) {
        return hi(p) - lo(p);
    }
}
