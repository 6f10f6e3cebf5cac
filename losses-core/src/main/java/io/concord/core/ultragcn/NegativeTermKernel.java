package io.concord.core.ultragcn;

import io.concord.core.util.VectorSupport;

/**
 * The scoring-and-update kernel of UltraGCN's negative terms: for every sampled pair (batch row b, item j) it scores
 * {@code s = e_u·e_j}, adds {@code c·softplus(s)} to the loss, {@code c·σ(s)·e_j} to the user's gradient and
 * {@code c·σ(s)·e_u} to the item's gradient, where {@code c = (negative_weight / R) · (w3 + w4·β(u,j))}.
 *
 * <p>Two implementations: {@link NegativeKernel} (scalar Java, the tested reference and the fallback) and
 * {@link VectorNegativeKernel} (JDK Vector API). {@link #create} picks the SIMD one when the
 * {@code jdk.incubator.vector} module is present and the system property {@code concord.ultragcn.kernel} is not
 * {@code scalar}. Instances are not thread-safe (scratch buffers): one per thread.
 */
public interface NegativeTermKernel {

    /** System property choosing the kernel: {@code auto} (default), {@code vector} or {@code scalar}. */
    String PROPERTY = "concord.ultragcn.kernel";

    /**
     * Adds the negative terms of {@code count} batch rows into the gradients and returns their loss.
     *
     * @param params    flat parameters [user rows, item rows]
     * @param grad      flat gradient, item rows receive their terms here
     * @param users     user id of each batch row
     * @param count     number of batch rows
     * @param userRows  {@code count × dim} copy of the rows' user embeddings
     * @param userGrad  {@code count × dim} per-row user gradient accumulators (added to)
     * @param negatives {@code count × r} sampled item ids, row-major
     * @param r         negatives per row
     * @param scale     {@code negative_weight / R}
     */
    double accumulate(float[] params, float[] grad, int[] users, int count, float[] userRows, float[] userGrad,
                      int[] negatives, int r, float scale);

    /** Items per cache bucket (a power of two). */
    int itemsPerBucket();

    /**
     * The kernel for these shapes: SIMD when available (see the class comment), else scalar.
     *
     * @param itemsPerBucket bucket size, or {@code <= 0} for the cache-sized default
     */
    static NegativeTermKernel create(int dim, int numUsers, int numItems, double w3, double w4,
                                     DegreeWeights weights, int itemsPerBucket) {
        int bucket = itemsPerBucket > 0 ? itemsPerBucket : Math.max(1, NegativeKernel.BUCKET_BYTES / (4 * dim));
        String choice = System.getProperty(PROPERTY, "auto");
        if (!choice.equals("scalar") && VectorSupport.available()) {
            return new VectorNegativeKernel(dim, numUsers, numItems, w3, w4, weights, bucket);
        }
        if (choice.equals("vector")) {
            throw new IllegalStateException(PROPERTY + "=vector but the jdk.incubator.vector module is not "
                    + "available (start the JVM with --add-modules=jdk.incubator.vector)");
        }
        return new NegativeKernel(dim, numUsers, numItems, w3, w4, weights, bucket);
    }

    /** Which kernel {@link #create} picks in this JVM, for logs: e.g. {@code SIMD, 16 float lanes}. */
    static String describe() {
        String choice = System.getProperty(PROPERTY, "auto");
        if (!choice.equals("scalar") && VectorSupport.available()) {
            return "SIMD, " + VectorNegativeKernel.lanes() + " float lanes";
        }
        return "scalar" + (choice.equals("scalar") ? " (" + PROPERTY + "=scalar)"
                : " (jdk.incubator.vector not available)");
    }
}
