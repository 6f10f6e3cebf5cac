package io.concord.core.calib;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * {@link UgclLoss} as a DL4J loss function, so that the supervised + UGCL loss drives a DL4J output layer (use an
 * identity activation and 10 outputs; labels are the normalized parameters). The scores are per example as DL4J
 * expects: {@code computeScore(average = true)} is the minibatch mean, {@code computeGradient} the per-example
 * gradient rows (DL4J divides by the minibatch size itself).
 *
 * <p>Serialises through DL4J's JSON configuration (fields below); the configuration round-trips through
 * {@code toJson}/{@code fromJson}. Masks: a per-example mask of shape {@code [n, 1]} or {@code [n]} scales that
 * example's score and gradient; per-output masks are rejected because the constraint terms couple all ten outputs.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class UgclLossFunction implements ILossFunction {

    private static final long serialVersionUID = 1L;

    @JsonProperty("offset")
    private final double[] offset;
    @JsonProperty("scale")
    private final double[] scale;
    @JsonProperty("supervisedWeights")
    private final double[] supervisedWeights;
    @JsonProperty("penalty")
    private final String penalty;
    @JsonProperty("huberDelta")
    private final double huberDelta;
    @JsonProperty("vanishingPointWeight")
    private final double vanishingPointWeight;
    @JsonProperty("worldOriginWeight")
    private final double worldOriginWeight;
    @JsonProperty("axisPlaneWeight")
    private final double axisPlaneWeight;
    @JsonProperty("rotationWeight")
    private final double rotationWeight;
    @JsonProperty("constraintSmoothing")
    private final double constraintSmoothing;
    @JsonProperty("imageWidth")
    private final int imageWidth;
    @JsonProperty("imageHeight")
    private final int imageHeight;

    private transient UgclLoss loss;

    public UgclLossFunction(UgclLossConfig config, ParamScaling scaling) {
        this(scaling.offsets(), scaling.scales(), config.supervisedWeights(), config.penalty().name(),
                config.huberDelta(), config.vanishingPointWeight(), config.worldOriginWeight(),
                config.axisPlaneWeight(), config.rotationWeight(), config.constraintSmoothing(), config.imageWidth(),
                config.imageHeight());
    }

    @JsonCreator
    private UgclLossFunction(@JsonProperty("offset") double[] offset, @JsonProperty("scale") double[] scale,
                             @JsonProperty("supervisedWeights") double[] supervisedWeights,
                             @JsonProperty("penalty") String penalty, @JsonProperty("huberDelta") double huberDelta,
                             @JsonProperty("vanishingPointWeight") double vanishingPointWeight,
                             @JsonProperty("worldOriginWeight") double worldOriginWeight,
                             @JsonProperty("axisPlaneWeight") double axisPlaneWeight,
                             @JsonProperty("rotationWeight") double rotationWeight,
                             @JsonProperty("constraintSmoothing") double constraintSmoothing,
                             @JsonProperty("imageWidth") int imageWidth,
                             @JsonProperty("imageHeight") int imageHeight) {
        this.offset = offset;
        this.scale = scale;
        this.supervisedWeights = supervisedWeights;
        this.penalty = penalty;
        this.huberDelta = huberDelta;
        this.vanishingPointWeight = vanishingPointWeight;
        this.worldOriginWeight = worldOriginWeight;
        this.axisPlaneWeight = axisPlaneWeight;
        this.rotationWeight = rotationWeight;
        this.constraintSmoothing = constraintSmoothing;
        this.imageWidth = imageWidth;
        this.imageHeight = imageHeight;
        this.loss = buildLoss();
    }

    /** The wrapped loss (configuration and scaling). */
    public UgclLoss loss() {
        if (loss == null) {
            loss = buildLoss();
        }
        return loss;
    }

    private UgclLoss buildLoss() {
        UgclLossConfig config = new UgclLossConfig(supervisedWeights, SupervisedPenalty.ofName("loss.penalty",
                penalty), huberDelta, vanishingPointWeight, worldOriginWeight, axisPlaneWeight, rotationWeight,
                constraintSmoothing, imageWidth, imageHeight);
        return new UgclLoss(config, new ParamScaling(offset, scale));
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return evaluate(labels, preOutput, activationFn, mask, false).getFirst();
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return evaluate(labels, preOutput, activationFn, mask, true).getSecond();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        Pair<INDArray, INDArray> both = evaluate(labels, preOutput, activationFn, mask, true);
        double sum = both.getFirst().sumNumber().doubleValue();
        return new Pair<>(average ? sum / preOutput.size(0) : sum, both.getSecond());
    }

    private Pair<INDArray, INDArray> evaluate(INDArray labels, INDArray preOutput, IActivation activationFn,
                                              INDArray mask, boolean withGradient) {
        if (preOutput.rank() != 2 || preOutput.size(1) != CalibParam.COUNT
                || !Arrays.equals(labels.shape(), preOutput.shape())) {
            throw new IllegalArgumentException("ugcl loss needs [n, " + CalibParam.COUNT + "] outputs and labels, got "
                    + Arrays.toString(preOutput.shape()) + " and " + Arrays.toString(labels.shape()));
        }
        int n = (int) preOutput.size(0);
        double[] rowMask = rowMask(mask, n);
        INDArray output = activationFn.getActivation(preOutput.dup(), true);
        double[][] y = output.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] t = labels.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] g = withGradient ? new double[n][CalibParam.COUNT] : null;
        double[] scores = loss().batch(y, t, g);
        for (int i = 0; i < n; i++) {
            if (rowMask != null) {
                scores[i] *= rowMask[i];
                if (g != null) {
                    for (int k = 0; k < CalibParam.COUNT; k++) {
                        g[i][k] *= rowMask[i];
                    }
                }
            }
        }
        INDArray scoreArray = Nd4j.createFromArray(scores).reshape(n, 1).castTo(preOutput.dataType());
        INDArray gradient = null;
        if (g != null) {
            INDArray dLdOut = Nd4j.createFromArray(g).castTo(preOutput.dataType());
            gradient = activationFn.backprop(preOutput.dup(), dLdOut).getFirst();
        }
        return new Pair<>(scoreArray, gradient);
    }

    private static double[] rowMask(INDArray mask, int n) {
        if (mask == null) {
            return null;
        }
        if (mask.length() != n) {
            throw new IllegalArgumentException("ugcl loss supports only per-example masks of shape [" + n
                    + ", 1]; got " + Arrays.toString(mask.shape()));
        }
        return mask.castTo(DataType.DOUBLE).reshape(n).toDoubleVector();
    }

    @Override
    public String name() {
        return "ugcl";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UgclLossFunction other && loss().equals(other.loss());
    }

    @Override
    public int hashCode() {
        return loss().hashCode();
    }

    @Override
    public String toString() {
        return "UgclLossFunction{" + loss().config() + ", " + loss().scaling() + '}';
    }
}
