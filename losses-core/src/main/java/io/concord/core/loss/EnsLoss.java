package io.concord.core.loss;

import io.concord.core.param.ParamException;
import io.concord.core.util.Seeds;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * EnsLoss, stochastic calibrated loss ensembles for binary classification (statmlben/ensLoss {@code losses.py}, class
 * {@code ensLoss}): each batch draws a random convex, calibrated loss <em>derivative</em> instead of using a fixed
 * loss.
 * <pre>
 *   y = 2t − 1 (t ∈ {0, 1});   s_i = f(x_i)·y_i
 *   z ~ N(0, 1)^B;  r = −BoxCoxInv_λ(z) (λ = 0: −exp(z));  r = sort_ascending(r);  r = max(r, −1)
 *   g[argsort(s)] = r                 smallest margin gets the most negative derivative ⇒ g non-decreasing in s
 *   g_i ← g_i/s_i for s_i &gt; 1;  g ← g − 1e-6   (strictly negative ⇒ calibrated)
 *   loss = Σ_i detach(g_i)·s_i,   ∂loss/∂f_i = g_i·y_i
 * </pre>
 * {@code BoxCoxInv_λ(z) = max(1 + λz, 0)^(1/λ)}. The reference returns the batch mean; this returns the sum, as
 * {@link Loss} does. Ties in s keep index order. Shapes: outputs and targets are {@code [B, 1]} (or {@code [B]}),
 * targets in {0, 1}. The derivative is detached by construction, so there is no finite-difference check: the
 * gradient <em>is</em> {@code g·y}.
 */
public final class EnsLoss implements RandomizedLoss {

    private static final long serialVersionUID = 1L;
    private static final double CALIBRATION_SHIFT = 1e-6;

    private final double boxCoxLambda;

    public EnsLoss(double boxCoxLambda) {
        if (!Double.isFinite(boxCoxLambda)) {
            throw new ParamException("loss.boxCoxLambda", "" + boxCoxLambda
                    + " is not allowed; must be a finite number");
        }
        this.boxCoxLambda = boxCoxLambda;
    }

    @Override
    public String name() {
        return "ensloss";
    }

    @Override
    public double valueAndGradient(INDArray outputs, INDArray targets, INDArray gradOut, SplittableRandom random) {
        long n = outputs.length();
        if (outputs.rank() > 2 || (outputs.rank() == 2 && outputs.columns() != 1)) {
            throw new IllegalArgumentException(name() + ": outputs must be [batch, 1] scores, got shape "
                    + Arrays.toString(outputs.shape()));
        }
        LossArrays.requireSameShape(name() + ": outputs", outputs, name() + ": targets", targets);
        LossArrays.requireSameShape(name() + ": outputs", outputs, name() + ": gradOut", gradOut);
        double[] f = LossArrays.rowMajor(outputs);
        double[] t = LossArrays.rowMajor(targets);
        double[] margins = new double[(int) n];
        double[] sign = new double[(int) n];
        for (int i = 0; i < n; i++) {
            if (t[i] != 0.0 && t[i] != 1.0) {
                throw new IllegalArgumentException(name() + ": target " + i + " is " + t[i] + "; must be 0 or 1");
            }
            sign[i] = 2.0 * t[i] - 1.0;
            margins[i] = f[i] * sign[i];
        }
        double[] z = new double[(int) n];
        for (int i = 0; i < n; i++) {
            z[i] = Seeds.gaussian(random);
        }
        double[] g = derivatives(margins, z, boxCoxLambda);
        double value = 0.0;
        double[] grad = new double[(int) n];
        for (int i = 0; i < n; i++) {
            value += g[i] * margins[i];
            grad[i] = g[i] * sign[i];
        }
        LossArrays.write(gradOut, grad);
        return value;
    }

    /** The per-example loss derivatives {@code g} with respect to the margins {@code s} for standard normals {@code z}. */
    public static double[] derivatives(double[] margins, double[] z, double boxCoxLambda) {
        int n = margins.length;
        if (z.length != n) {
            throw new IllegalArgumentException("ensloss: " + z.length + " normal draws for " + n + " margins");
        }
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = Math.max(-boxCoxInverse(z[i], boxCoxLambda), -1.0);
        }
        Arrays.sort(r);
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> margins[i]));
        double[] g = new double[n];
        for (int rank = 0; rank < n; rank++) {
            g[order[rank]] = r[rank];
        }
        for (int i = 0; i < n; i++) {
            if (margins[i] > 1.0) {
                g[i] /= margins[i];
            }
            g[i] -= CALIBRATION_SHIFT;
        }
        return g;
    }

    private static double boxCoxInverse(double z, double lambda) {
        if (lambda == 0.0) {
            return Math.exp(z);
        }
        return Math.pow(Math.max(1.0 + lambda * z, 0.0), 1.0 / lambda);
    }
}
