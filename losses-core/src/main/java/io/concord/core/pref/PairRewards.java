package io.concord.core.pref;

/**
 * Implicit-reward statistics of preference pairs, as TRL logs them: {@code rewards/chosen}, {@code rewards/rejected},
 * {@code rewards/margins} and {@code rewards/accuracies = mean[r(y_w) > r(y_l)]}. The implicit reward is
 * {@code r(y) = β·(lp(y) − lpr(y))} for reference-based losses (DPO, IPO, …) and {@code r(y) = β·lp(y)/|y|} for
 * reference-free SimPO. Mergeable: the state is a sum vector ({@link #sums()}) of length {@link #LENGTH}.
 */
public final class PairRewards {

    public static final int COUNT = 0;
    public static final int CORRECT = 1;
    public static final int CHOSEN = 2;
    public static final int REJECTED = 3;
    public static final int LENGTH = 4;

    private final double[] sums;

    public PairRewards(double[] sums) {
        if (sums.length != LENGTH) {
            throw new IllegalArgumentException("pair reward sums have length " + LENGTH + ", got " + sums.length);
        }
        this.sums = sums;
    }

    /** Statistics of the {@code [chosen, rejected]} groups of {@code batch}. */
    public static PairRewards of(LogProbBatch batch, double beta, boolean referenceFree) {
        double[] s = new double[LENGTH];
        for (int g = 0; g < batch.groups(); g++) {
            if (batch.groupSize(g) != 2) {
                throw new IllegalArgumentException("group " + g + " is not a pair");
            }
            int w = batch.groupStart(g);
            double rw = reward(batch, w, beta, referenceFree);
            double rl = reward(batch, w + 1, beta, referenceFree);
            s[COUNT] += 1;
            s[CORRECT] += rw > rl ? 1 : 0;
            s[CHOSEN] += rw;
            s[REJECTED] += rl;
        }
        return new PairRewards(s);
    }

    private static double reward(LogProbBatch b, int i, double beta, boolean referenceFree) {
        return referenceFree ? beta * b.policyMean(i) : beta * (b.policy(i) - b.frozen(0, i));
    }

    public PairRewards merge(PairRewards other) {
        for (int i = 0; i < LENGTH; i++) {
            sums[i] += other.sums[i];
        }
        return this;
    }

    public double[] sums() {
        return sums;
    }

    public double accuracy() {
        return sums[CORRECT] / sums[COUNT];
    }

    public double meanChosen() {
        return sums[CHOSEN] / sums[COUNT];
    }

    public double meanRejected() {
        return sums[REJECTED] / sums[COUNT];
    }

    public double meanMargin() {
        return (sums[CHOSEN] - sums[REJECTED]) / sums[COUNT];
    }
}
