package io.concord.core.loss;

/**
 * Cross-entropy of softmax(logits) against target distributions (one-hot or soft rows):
 * {@code ℓ = −Σ_c y_c log softmax(z)_c}, gradient {@code softmax(z)·Σ_c y_c − y}. Max-shifted and computed in float64,
 * so finite for any finite logits.
 */
public final class SoftmaxCrossEntropy extends RowLoss {

    public static final SoftmaxCrossEntropy INSTANCE = new SoftmaxCrossEntropy();
    private static final long serialVersionUID = 1L;

    private SoftmaxCrossEntropy() {
    }

    @Override
    public String name() {
        return "cross-entropy";
    }

    @Override
    double row(double[] x, double[] y, double[] g, int offset, int k, int row, double[] scratch) {
        return crossEntropyRow(x, y, g, offset, k, 1.0);
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
