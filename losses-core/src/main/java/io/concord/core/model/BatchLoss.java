package io.concord.core.model;

/**
 * The summed loss of a batch and the batch's example weight (usually its example count).
 *
 * @param lossSum sum of per-example losses
 * @param weight  sum of example weights; the engine divides by the global total for {@link Model.Reduction#MEAN}
 */
public record BatchLoss(double lossSum, double weight) {

    public static final BatchLoss ZERO = new BatchLoss(0.0, 0.0);

    public BatchLoss plus(BatchLoss other) {
        return new BatchLoss(lossSum + other.lossSum, weight + other.weight);
    }

    public double meanLoss() {
        return weight == 0.0 ? Double.NaN : lossSum / weight;
    }
}
