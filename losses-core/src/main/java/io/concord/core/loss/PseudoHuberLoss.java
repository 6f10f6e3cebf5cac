package io.concord.core.loss;

import io.concord.core.param.Checks;

/**
 * The pseudo-Huber loss of Song and Dhariwal ("Improved Techniques for Training Consistency Models", arXiv 2310.14189)
 * in its whole-vector form, per row: {@code d(x, y) = sqrt(‖x − y‖₂² + c²) − c} with {@code c = 0.00054·sqrt(D)},
 * D = the row length (CIFAR-10: c = 0.029930), unless c is given. Gradient {@code (x − y)/sqrt(‖x − y‖² + c²)} (norm
 * below 1).
 *
 * <p>Many third-party {@code pseudo_huber_loss} copies compute it element-wise ({@code sqrt((x_i − y_i)² + c²) − c}
 * per element, then the mean): that is a different function and is not what this class computes.
 */
public final class PseudoHuberLoss extends RowLoss {

    private static final long serialVersionUID = 1L;
    /** The paper's constant: c = 0.00054·sqrt(D). */
    public static final double PAPER_C_PER_SQRT_DIM = 0.00054;

    private final double c;
    private final double cPerSqrtDim;

    private PseudoHuberLoss(double c, double cPerSqrtDim) {
        this.c = c;
        this.cPerSqrtDim = cPerSqrtDim;
    }

    /** c = {@code cPerSqrtDim}·sqrt(D), D taken from the outputs' row length. */
    public static PseudoHuberLoss scaledByDimension(double cPerSqrtDim) {
        return new PseudoHuberLoss(Double.NaN, Checks.positive("loss.cPerSqrtDim", cPerSqrtDim));
    }

    /** A fixed c (e.g. the 0.03 of a third-party iCT re-implementation). */
    public static PseudoHuberLoss withConstant(double c) {
        return new PseudoHuberLoss(Checks.positive("loss.c", c), Double.NaN);
    }

    /** The constant for rows of length {@code dimension}. */
    public double c(long dimension) {
        return Double.isNaN(c) ? cPerSqrtDim * Math.sqrt(dimension) : c;
    }

    @Override
    public String name() {
        return "pseudo-huber";
    }

    @Override
    double row(double[] x, double[] y, double[] g, int offset, int k, int row, double[] scratch) {
        double constant = c(k);
        double squared = constant * constant;
        for (int j = offset; j < offset + k; j++) {
            double d = x[j] - y[j];
            g[j] = d;
            squared += d * d;
        }
        double radius = Math.sqrt(squared);
        for (int j = offset; j < offset + k; j++) {
            g[j] /= radius;
        }
        return radius - constant;
    }
}
