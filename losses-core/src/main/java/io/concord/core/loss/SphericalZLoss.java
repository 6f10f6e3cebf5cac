package io.concord.core.loss;

import io.concord.core.optim.Hyper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Z-loss of de Brébisson and Vincent (2016, arXiv 1604.08859), a shift- and scale-invariant member of the spherical
 * family:
 * <pre>
 *   μ = mean(o),  σ = sqrt(mean(o²) − μ² + eps),  z = (o − μ)/σ
 *   L(o, c) = (1/a)·softplus(a·(b − z_c))
 * </pre>
 * Gradient [derived]: {@code ∂L/∂o_k = −sigmoid(a(b − z_c))·(δ_kc − 1/D − z_c z_k/D)/σ}; it stays exact with the
 * guard {@code eps} because {@code ∂σ/∂o_k = (o_k − μ)/(Dσ)} either way. Soft targets give {@code Σ_c y_c L(o, c)}.
 *
 * <p>No reference code is known and the paper's chosen a, b are not known [unverified]: the defaults a = 1, b = 1 are
 * placeholders to tune. {@code eps} (default 1e-12, no reference guidance) only matters when all outputs of a row are
 * equal; it breaks exact scale invariance by a relative 1e-12.
 */
public final class SphericalZLoss implements Loss {

    private static final long serialVersionUID = 1L;

    private final double a;
    private final double b;
    private final double eps;

    public SphericalZLoss(double a, double b, double eps) {
        this.a = Hyper.positive("loss.a", a);
        if (!Double.isFinite(b)) {
            throw new IllegalArgumentException("loss.b: " + b + " is not allowed; must be a finite number");
        }
        this.b = b;
        this.eps = Hyper.positive("loss.eps", eps);
    }

    @Override
    public String name() {
        return "z-loss";
    }

    @Override
    public double valueAndGradient(INDArray outputs, INDArray targets, INDArray gradOut) {
        LossArrays.checkRowLoss(name(), outputs, targets, gradOut);
        INDArray o = LossArrays.asDouble(outputs);
        INDArray y = LossArrays.asDouble(targets);
        double d = o.columns();
        INDArray centred = o.subColumnVector(o.mean(true, 1));
        INDArray sigma = Transforms.sqrt(centred.mul(centred).mean(true, 1).addi(eps), false);
        INDArray z = centred.diviColumnVector(sigma);
        INDArray arg = z.rsub(b).muli(a);
        double value = LossArrays.softplus(arg).muli(y).sumNumber().doubleValue() / a;
        INDArray w = Transforms.sigmoid(arg, false).muli(y);
        INDArray wSum = w.sum(true, 1).divi(d);
        INDArray wz = w.mul(z).sum(true, 1).divi(d);
        INDArray grad = w.subiColumnVector(wSum).subi(z.muliColumnVector(wz)).diviColumnVector(sigma).negi();
        gradOut.assign(grad);
        return value;
    }
}
