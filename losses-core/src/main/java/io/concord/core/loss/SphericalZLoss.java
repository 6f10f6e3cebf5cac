package io.concord.core.loss;

import io.concord.core.param.ParamException;
import io.concord.core.util.StableMath;

import io.concord.core.param.Checks;

/**
 * The Z-loss of de Brébisson and Vincent (2016, arXiv 1604.08859), a shift- and scale-invariant member of the spherical
 * family:
 * <pre>
 *   μ = mean(o),  σ = sqrt(mean(o²) − μ² + eps),  z = (o − μ)/σ
 *   L(o, c) = (1/a)·StableMath.softplus(a·(b − z_c))
 * </pre>
 * Gradient [derived]: {@code ∂L/∂o_k = −StableMath.sigmoid(a(b − z_c))·(δ_kc − 1/D − z_c z_k/D)/σ}; it stays exact with the
 * guard {@code eps} because {@code ∂σ/∂o_k = (o_k − μ)/(Dσ)} either way. Soft targets give {@code Σ_c y_c L(o, c)}.
 *
 * <p>No reference code is known and the paper's chosen a, b are not known [unverified]: the defaults a = 1, b = 1 are
 * placeholders to tune. {@code eps} (default 1e-12, no reference guidance) only matters when all outputs of a row are
 * equal; it breaks exact scale invariance by a relative 1e-12.
 */
public final class SphericalZLoss extends RowLoss {

    private static final long serialVersionUID = 1L;

    private final double a;
    private final double b;
    private final double eps;

    public SphericalZLoss(double a, double b, double eps) {
        this.a = Checks.positive("loss.a", a);
        if (!Double.isFinite(b)) {
            throw new ParamException("loss.b", "" + b + " is not allowed; must be a finite number");
        }
        this.b = b;
        this.eps = Checks.positive("loss.eps", eps);
    }

    @Override
    public String name() {
        return "z-loss";
    }

    @Override
    double row(double[] o, double[] y, double[] g, int offset, int k, int row, double[] z) {
        double mean = 0.0;
        for (int c = offset; c < offset + k; c++) {
            mean += o[c];
        }
        mean /= k;
        double variance = 0.0;
        for (int c = offset; c < offset + k; c++) {
            double d = o[c] - mean;
            variance += d * d;
        }
        double sigma = Math.sqrt(variance / k + eps);
        double value = 0.0;
        double w = 0.0;
        double wz = 0.0;
        for (int c = offset; c < offset + k; c++) {
            double zc = (o[c] - mean) / sigma;
            z[c - offset] = zc;
            double weight = 0.0;
            if (y[c] != 0.0) {
                double arg = a * (b - zc);
                value += y[c] * StableMath.softplus(arg) / a;
                weight = y[c] * StableMath.sigmoid(arg);
            }
            g[c] = weight;
            w += weight;
            wz += weight * zc;
        }
        for (int c = offset; c < offset + k; c++) {
            g[c] = -(g[c] - w / k - z[c - offset] * wz / k) / sigma;
        }
        return value;
    }

    @Override
    int scratchSize(int k) {
        return k;
    }
}
