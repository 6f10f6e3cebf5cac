package io.concord.engine;

/**
 * What one round's single action returns, summed over partitions (Flink ML's "one collective carries the update
 * and the statistics"): the summed gradient (global-batch) or example-weighted parameters (parameter averaging), the
 * weighted optimizer state when it is averaged, example weight, loss sum, the round's statistics, and timing.
 *
 * <p>{@link #merge} adds {@code other} into {@code this} and returns {@code this}; it is associative and
 * commutative up to float rounding (integer statistics merge exactly).
 */
public final class RoundRecord {

    float[] vector;
    float[] state;
    double weight;
    double lossSum;
    long examples;
    Object[] statistics;
    long computeNanosSum;
    long computeNanosMax;
    int partitions;

    RoundRecord() {
    }

    public RoundRecord(float[] vector, float[] state, double weight, double lossSum, long examples,
                       Object[] statistics, long computeNanos) {
        this.vector = vector;
        this.state = state;
        this.weight = weight;
        this.lossSum = lossSum;
        this.examples = examples;
        this.statistics = statistics;
        this.computeNanosSum = computeNanos;
        this.computeNanosMax = computeNanos;
        this.partitions = 1;
    }

    public RoundRecord merge(RoundRecord other, StatisticSet statisticSet) {
        vector = addInto(vector, other.vector);
        state = addInto(state, other.state);
        weight += other.weight;
        lossSum += other.lossSum;
        examples += other.examples;
        statistics = statisticSet.merge(statistics, other.statistics);
        computeNanosSum += other.computeNanosSum;
        computeNanosMax = Math.max(computeNanosMax, other.computeNanosMax);
        partitions += other.partitions;
        return this;
    }

    /** This record's scalars and statistics with other vectors (a reduced gradient, averaged parameters). */
    public RoundRecord withVectors(float[] newVector, float[] newState) {
        RoundRecord r = new RoundRecord(newVector, newState, weight, lossSum, examples, statistics, 0);
        r.computeNanosSum = computeNanosSum;
        r.computeNanosMax = computeNanosMax;
        r.partitions = partitions;
        return r;
    }

    private static float[] addInto(float[] left, float[] right) {
        if (left == null) {
            return right;
        }
        if (right == null) {
            return left;
        }
        if (left.length != right.length) {
            throw new IllegalStateException("cannot merge vectors of length " + left.length + " and " + right.length);
        }
        for (int i = 0; i < left.length; i++) {
            left[i] += right[i];
        }
        return left;
    }

    public float[] vector() {
        return vector;
    }

    public float[] state() {
        return state;
    }

    public double weight() {
        return weight;
    }

    public double lossSum() {
        return lossSum;
    }

    public long examples() {
        return examples;
    }

    public Object[] statistics() {
        return statistics;
    }

    public long computeNanosMax() {
        return computeNanosMax;
    }

    public long computeNanosSum() {
        return computeNanosSum;
    }

    public int partitions() {
        return partitions;
    }
}
