package io.concord.core.pref;

import java.util.Arrays;

/**
 * Means over pairs of the {@link GradientEntanglement} statistics, as logged per checkpoint by the reference code
 * (InnerProduct, Correlation, Grad_W_Norm, Grad_L_Norm, Grad_Condition) plus the two ratios and the share of
 * entangled pairs. Mergeable: its state is one {@code double[]} of sums (use
 * {@link io.concord.core.stat.DoubleVectorSum} of length {@link #LENGTH} to reduce it across partitions).
 */
public final class EntanglementSummary {

    /** Slots of the sum vector. */
    public static final int COUNT = 0;
    public static final int INNER = 1;
    public static final int COSINE = 2;
    public static final int NORM_CHOSEN = 3;
    public static final int NORM_REJECTED = 4;
    public static final int CONDITION = 5;
    public static final int RATIO_CHOSEN = 6;
    public static final int RATIO_REJECTED = 7;
    public static final int ENTANGLED = 8;
    public static final int LENGTH = 9;

    private final double[] sums;

    public EntanglementSummary() {
        this(new double[LENGTH]);
    }

    /** Wraps (does not copy) a sum vector, e.g. a merged statistic. */
    public EntanglementSummary(double[] sums) {
        if (sums.length != LENGTH) {
            throw new IllegalArgumentException("entanglement sums have length " + LENGTH + ", got " + sums.length);
        }
        this.sums = sums;
    }

    public EntanglementSummary add(GradientEntanglement e) {
        sums[COUNT] += 1;
        sums[INNER] += e.inner();
        sums[COSINE] += e.cosine();
        sums[NORM_CHOSEN] += e.normChosen();
        sums[NORM_REJECTED] += e.normRejected();
        sums[CONDITION] += e.condition();
        sums[RATIO_CHOSEN] += e.ratioChosen();
        sums[RATIO_REJECTED] += e.ratioRejected();
        sums[ENTANGLED] += e.entangled() ? 1 : 0;
        return this;
    }

    public EntanglementSummary merge(EntanglementSummary other) {
        for (int i = 0; i < LENGTH; i++) {
            sums[i] += other.sums[i];
        }
        return this;
    }

    public double[] sums() {
        return sums;
    }

    public long count() {
        return (long) sums[COUNT];
    }

    /** Mean of one slot over the pairs added; NaN when empty. */
    public double mean(int slot) {
        return sums[COUNT] == 0 ? Double.NaN : sums[slot] / sums[COUNT];
    }

    @Override
    public String toString() {
        return "EntanglementSummary" + Arrays.toString(sums);
    }
}
