package io.concord.core.calib;

import java.util.Arrays;
import io.concord.core.loss.Loss;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The UGCL calibration loss of one example, over the ten normalized network outputs y (order {@link CalibParam}):
 *
 * <pre>
 *   L = Σ_k w_k·ρ(y_k − ŷ_k)                                   supervised, normalized units
 *     + w_vp·(D(P̃e₀, P̂e₀) + D(P̃e₂, P̂e₂))                      vanishing points of the forward and up axes
 *     + w_wo·D(P̃e₃, P̂e₃)                                       image of the world origin
 *     + w_ap·(D(P̃¹, P̂¹) + D(P̃², P̂²))                          axis planes (rows of P)
 *     + w_rot·O(R(θ))                                          rotation orthonormality
 * </pre>
 *
 * where P̃ is the conditioned projection matrix ({@link CameraProjection}) built from the de-normalized predictions,
 * P̂ the one built from the labels, D the smoothed oriented distance of {@link HomogeneousDistance}, and O
 * {@link RotationOrthonormality}. Gradients are exact (hand-derived, checked against central differences in the
 * tests) with respect to the normalized outputs.
 *
 * <p>What differs from the public reference and why:
 * <ul>
 *   <li>P carries no {@code +1} offset and the world-origin term uses rows 0 and 1 (the reference uses row 1 twice);
 *       see {@code package-info} for the frame conventions that replace the reference's mixed ones.</li>
 *   <li>The y-axis (lateral) vanishing point is left out, as in the reference, but for a stated reason: with no yaw
 *       and no roll its homogeneous vector is {@code (−f_x/W, 0, 0)}, the same direction for every prediction.</li>
 *   <li>The axis-plane term exists (the reference's abstract names it; its code has none).</li>
 *   <li>O(R(θ)) is identically zero because R is built from one angle, so the rotation term contributes nothing
 *       to value or gradient with these ten heads; it is kept so that the configured weight is honoured and so a
 *       parameterisation with a free rotation would be constrained. The reference's trace(R²) "rot_identity"
 *       output is a pull of θ toward zero, not a constraint, and is not reproduced.</li>
 *   <li>No learned sigmoid gates scale the constraint outputs (in the reference they let the network switch the
 *       3D-point constraints off).</li>
 *   <li>Baseline and disparity do not enter P, so only the supervised term trains those two heads.</li>
 * </ul>
 *
 * <p>As a {@link Loss}, {@code outputs} and {@code targets} are {@code [batch, 10]} normalized rows.
 */
public final class UgclLoss implements Loss {

    private static final long serialVersionUID = 1L;

    private static final int[][] VANISHING_POINTS = {{0, 4, 8}, {2, 6, 10}};
    private static final int[][] WORLD_ORIGIN = {{3, 7, 11}};
    private static final int[][] AXIS_PLANES = {{0, 1, 2, 3}, {4, 5, 6, 7}};

    private final UgclLossConfig config;
    private final ParamScaling scaling;

    public UgclLoss(UgclLossConfig config, ParamScaling scaling) {
        this.config = Objects.requireNonNull(config, "config");
        this.scaling = Objects.requireNonNull(scaling, "scaling");
    }

    public UgclLossConfig config() {
        return config;
    }

    public ParamScaling scaling() {
        return scaling;
    }

    @Override
    public String name() {
        return "ugcl";
    }

    /**
     * Loss of one example. Overwrites {@code grad} (if not null) with ∂L/∂y and {@code termValues} (if not null,
     * indexed by {@link UgclTerm#ordinal()}) with each weighted term.
     */
    public double value(double[] y, double[] target, double[] grad, double[] termValues) {
        return evaluate(EnumSet.allOf(UgclTerm.class), y, target, grad, termValues);
    }

    /** One weighted term alone, with its gradient written into {@code grad} (overwritten) when it is not null. */
    public double term(UgclTerm term, double[] y, double[] target, double[] grad) {
        return evaluate(EnumSet.of(term), y, target, grad, null);
    }

    private double evaluate(Set<UgclTerm> terms, double[] y, double[] target, double[] grad, double[] termValues) {
        if (grad != null) {
            Arrays.fill(grad, 0, CalibParam.COUNT, 0.0);
        }
        if (termValues != null) {
            Arrays.fill(termValues, 0.0);
        }
        double total = 0;
        if (terms.contains(UgclTerm.SUPERVISED)) {
            double v = supervised(y, target, grad);
            total += v;
            record(termValues, UgclTerm.SUPERVISED, v);
        }
        boolean geometric = terms.contains(UgclTerm.VANISHING_POINTS) || terms.contains(UgclTerm.WORLD_ORIGIN)
                || terms.contains(UgclTerm.AXIS_PLANES) || terms.contains(UgclTerm.ROTATION);
        if (!geometric) {
            return total;
        }
        double[] pred = scaling.denormalize(y);
        double[] truth = scaling.denormalize(target);
        int w = config.imageWidth();
        int h = config.imageHeight();
        double[] pPred = CameraProjection.conditioned(pred, w, h);
        double[] pTrue = CameraProjection.conditioned(truth, w, h);
        double[] dP = grad == null ? null : new double[12];
        double[] gradPhysical = grad == null ? null : new double[CalibParam.COUNT];
        if (terms.contains(UgclTerm.VANISHING_POINTS)) {
            double v = distances(VANISHING_POINTS, config.vanishingPointWeight(), pPred, pTrue, dP);
            total += v;
            record(termValues, UgclTerm.VANISHING_POINTS, v);
        }
        if (terms.contains(UgclTerm.WORLD_ORIGIN)) {
            double v = distances(WORLD_ORIGIN, config.worldOriginWeight(), pPred, pTrue, dP);
            total += v;
            record(termValues, UgclTerm.WORLD_ORIGIN, v);
        }
        if (terms.contains(UgclTerm.AXIS_PLANES)) {
            double v = distances(AXIS_PLANES, config.axisPlaneWeight(), pPred, pTrue, dP);
            total += v;
            record(termValues, UgclTerm.AXIS_PLANES, v);
        }
        if (terms.contains(UgclTerm.ROTATION) && config.rotationWeight() > 0) {
            double theta = pred[CalibParam.PITCH.index()];
            double[] dR = grad == null ? null : new double[9];
            double v = config.rotationWeight() * RotationOrthonormality.value(CameraProjection.rotation(theta), dR);
            if (dR != null) {
                double[] dRdTheta = CameraProjection.rotationDerivative(theta);
                double s = 0;
                for (int i = 0; i < 9; i++) {
                    s += dR[i] * dRdTheta[i];
                }
                gradPhysical[CalibParam.PITCH.index()] += config.rotationWeight() * s;
            }
            total += v;
            record(termValues, UgclTerm.ROTATION, v);
        }
        if (grad != null) {
            CameraProjection.backward(pred, w, h, dP, gradPhysical);
            for (int k = 0; k < CalibParam.COUNT; k++) {
                grad[k] += gradPhysical[k] * scaling.scale(k);
            }
        }
        return total;
    }

    private double supervised(double[] y, double[] target, double[] grad) {
        double[] weights = config.supervisedWeights();
        double[] slope = new double[1];
        double value = 0;
        for (int k = 0; k < CalibParam.COUNT; k++) {
            if (weights[k] == 0) {
                continue;
            }
            value += weights[k] * config.penalty().apply(y[k] - target[k], config.huberDelta(), slope);
            if (grad != null) {
                grad[k] += weights[k] * slope[0];
            }
        }
        return value;
    }

    private double distances(int[][] vectors, double weight, double[] pPred, double[] pTrue, double[] dP) {
        if (weight == 0) {
            return 0;
        }
        double v = 0;
        for (int[] indices : vectors) {
            v += HomogeneousDistance.value(pPred, pTrue, indices, config.constraintSmoothing(), weight, dP);
        }
        return v;
    }

    private static void record(double[] termValues, UgclTerm term, double v) {
        if (termValues != null) {
            termValues[term.ordinal()] = v;
        }
    }

    /** Per-example losses of a {@code [n, 10]} batch; fills {@code grad} ({@code [n, 10]}, may be null). */
    public double[] batch(double[][] outputs, double[][] targets, double[][] grad) {
        double[] values = new double[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            check(i, outputs[i], targets[i]);
            values[i] = value(outputs[i], targets[i], grad == null ? null : grad[i], null);
        }
        return values;
    }

    @Override
    public double valueAndGradient(INDArray outputs, INDArray targets, INDArray gradOut) {
        double[][] out = outputs.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] tgt = targets.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] grad = new double[out.length][CalibParam.COUNT];
        double sum = 0;
        for (double v : batch(out, tgt, grad)) {
            sum += v;
        }
        gradOut.assign(Nd4j.createFromArray(grad).castTo(gradOut.dataType()));
        return sum;
    }

    private static void check(int row, double[] y, double[] target) {
        if (y.length != CalibParam.COUNT || target.length != CalibParam.COUNT) {
            throw new IllegalArgumentException("calibration loss needs " + CalibParam.COUNT
                    + " outputs and labels per example; row " + row + " has " + y.length + " outputs and "
                    + target.length + " labels");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UgclLoss other && config.equals(other.config) && scaling.equals(other.scaling);
    }

    @Override
    public int hashCode() {
        return 31 * config.hashCode() + scaling.hashCode();
    }
}
