package io.concord.engine.allreduce;

import java.io.Serializable;

/**
 * How the flat optimizer state is sliced among owners: {@code blocks} blocks of {@code blockLength}, each split by
 * {@link Slices}; owner p holds slice p of every block, concatenated. An element-wise optimizer's state is
 * {@code stateSize(n)/n} blocks of n (so owner p's state lines up with its parameter slice); any other state is one
 * flat block.
 */
public record StateLayout(int blocks, int blockLength, int parts) implements Serializable {

    public static StateLayout of(int stateLength, int numParams, boolean elementWise, int parts) {
        if (elementWise && numParams > 0 && stateLength % numParams == 0) {
            return new StateLayout(stateLength / numParams, numParams, parts);
        }
        return new StateLayout(stateLength == 0 ? 0 : 1, stateLength, parts);
    }

    public int sliceLength(int p) {
        return blocks * new Slices(blockLength, parts).size(p);
    }

    /** Owner p's slice of every block of {@code full}, concatenated. */
    public float[] extract(float[] full, int p) {
        Slices s = new Slices(blockLength, parts);
        int m = s.size(p);
        float[] out = new float[blocks * m];
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(full, b * blockLength + s.lo(p), out, b * m, m);
        }
        return out;
    }

    /** Writes owner p's {@code slice} back into {@code full}. */
    public void insert(float[] full, float[] slice, int p) {
        Slices s = new Slices(blockLength, parts);
        int m = s.size(p);
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(slice, b * m, full, b * blockLength + s.lo(p), m);
        }
    }
}
