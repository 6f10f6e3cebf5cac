package io.concord.core.loss;

import java.util.Arrays;
import io.concord.core.param.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * ConR, the contrastive regulariser for imbalanced regression (Keramati et al., arXiv 2309.06651; code:
 * BorealisAI/ConR {@code agedb-dir/loss.py}). With {@code q = normalize(F)}, {@code S = q·qᵀ/t}:
 * <pre>
 *   P_i = { j ≠ i : |y_i − y_j| ≤ w }                                  positives by label window
 *   N_i = { j : |y_i − y_j| &gt; w  and  |ŷ_i − ŷ_j| ≤ w }               negatives: other label, confusable prediction
 *   D_i = Σ_j exp(S_ij·1[j ∈ P_i]) + Σ_{j ∈ N_i} w_i·exp(e·|y_i − y_j|)·exp(S_ij)
 *   L_i = −(1/|P_i|)·Σ_{j ∈ P_i} log(exp(S_ij)/D_i);   L_i = 0 if N_i = ∅;   value = Σ_i w_i·L_i
 * </pre>
 * The first sum of D_i keeps the reference's quirk: entries outside P_i (j = i and the negatives included) enter as
 * exp(0) = 1. The reference divides by |P_i| unguarded (0/0 = NaN for an example without positives, which the
 * {@code no_neg_flag} multiply does not remove); here such an example contributes 0. The reference returns the batch
 * mean; this returns the sum (divide by N for the reference's value). Predictions ŷ are treated as constants (the
 * reference detaches them). Defaults: window w = 1, temperature t = 0.07 (the agedb code overrides its t = 0.2
 * signature default with 0.07), pushing weight e = 0.01.
 */
public final class ConRLoss implements Objective {

    private static final long serialVersionUID = 1L;
    private static final double MIN_NORM = 1e-12;

    private final double window;
    private final double temperature;
    private final double pushWeight;

    public ConRLoss(double window, double temperature, double pushWeight) {
        this.window = Checks.nonNegative("loss.window", window);
        this.temperature = Checks.positive("loss.temperature", temperature);
        this.pushWeight = Checks.nonNegative("loss.pushWeight", pushWeight);
    }

    public String name() {
        return "conr";
    }

    /**
     * @param features      {@code [N, d]} features F
     * @param targets       N regression targets y (vector or column)
     * @param predictions   N predictions ŷ (constants)
     * @param weights       N per-example weights (LDS weights), or {@code null} for 1
     * @param gradFeatures  overwritten with ∂value/∂F
     * @return Σ_i w_i·L_i
     */
    public double valueAndGradient(INDArray features, INDArray targets, INDArray predictions, INDArray weights,
                                   INDArray gradFeatures) {
        LossArrays.requireMatrix(name() + ": features", features);
        LossArrays.requireSameShape(name() + ": features", features, name() + ": gradFeatures", gradFeatures);
        int n = (int) features.rows();
        int d = (int) features.columns();
        double[] y = vector(name() + ": targets", targets, n);
        double[] yHat = vector(name() + ": predictions", predictions, n);
        double[] w = weights == null ? filled(n) : vector(name() + ": weights", weights, n);
        double[] f = LossArrays.rowMajor(features);
        double[] norms = new double[n];
        double[] q = new double[n * d];
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (int c = 0; c < d; c++) {
                s += f[i * d + c] * f[i * d + c];
            }
            norms[i] = Math.max(Math.sqrt(s), MIN_NORM);
            for (int c = 0; c < d; c++) {
                q[i * d + c] = f[i * d + c] / norms[i];
            }
        }
        double[] sim = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0.0;
                for (int c = 0; c < d; c++) {
                    s += q[i * d + c] * q[j * d + c];
                }
                sim[i * n + j] = s / temperature;
                sim[j * n + i] = s / temperature;
            }
        }
        double value = 0.0;
        double[] gradSim = new double[n * n];
        boolean[] positive = new boolean[n];
        boolean[] negative = new boolean[n];
        for (int i = 0; i < n; i++) {
            int numPositive = 0;
            int numNegative = 0;
            for (int j = 0; j < n; j++) {
                double labelGap = Math.abs(y[i] - y[j]);
                positive[j] = j != i && labelGap <= window;
                negative[j] = labelGap > window && Math.abs(yHat[i] - yHat[j]) <= window;
                numPositive += positive[j] ? 1 : 0;
                numNegative += negative[j] ? 1 : 0;
            }
            if (numPositive == 0 || numNegative == 0) {
                continue;
            }
            double denominator = n - numPositive;
            double positiveSum = 0.0;
            for (int j = 0; j < n; j++) {
                if (positive[j]) {
                    denominator += Math.exp(sim[i * n + j]);
                    positiveSum += sim[i * n + j];
                } else if (negative[j]) {
                    denominator += w[i] * Math.exp(pushWeight * Math.abs(y[i] - y[j]) + sim[i * n + j]);
                }
            }
            double loss = Math.log(denominator) - positiveSum / numPositive;
            value += w[i] * loss;
            for (int j = 0; j < n; j++) {
                double g;
                if (positive[j]) {
                    g = Math.exp(sim[i * n + j]) / denominator - 1.0 / numPositive;
                } else if (negative[j]) {
                    g = w[i] * Math.exp(pushWeight * Math.abs(y[i] - y[j]) + sim[i * n + j]) / denominator;
                } else {
                    continue;
                }
                gradSim[i * n + j] += w[i] * g;
            }
        }
        double[] gradF = new double[n * d];
        for (int a = 0; a < n; a++) {
            double[] gq = new double[d];
            for (int j = 0; j < n; j++) {
                double coefficient = (gradSim[a * n + j] + gradSim[j * n + a]) / temperature;
                if (coefficient == 0.0) {
                    continue;
                }
                for (int c = 0; c < d; c++) {
                    gq[c] += coefficient * q[j * d + c];
                }
            }
            double radial = 0.0;
            for (int c = 0; c < d; c++) {
                radial += gq[c] * q[a * d + c];
            }
            for (int c = 0; c < d; c++) {
                gradF[a * d + c] = (gq[c] - radial * q[a * d + c]) / norms[a];
            }
        }
        LossArrays.write(gradFeatures, gradF);
        return value;
    }

    private static double[] vector(String what, INDArray a, int n) {
        if (a == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (a.length() != n) {
            throw new IllegalArgumentException(what + " has " + a.length() + " entries, expected " + n);
        }
        return LossArrays.rowMajor(a.reshape(n));
    }

    private static double[] filled(int n) {
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        return ones;
    }
}
