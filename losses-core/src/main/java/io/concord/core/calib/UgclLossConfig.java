package io.concord.core.calib;

import io.concord.core.param.Checks;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamException;
import io.concord.core.param.ParamTable;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Weights and settings of the calibration loss. Config keys (for error messages and job configs) are
 * {@code loss.<component name>}; {@code loss.supervisedWeights} lists the ten head weights in {@link CalibParam} order.
 * The keys a job config sets are declared in {@link #PARAMS} and {@link #SUPERVISED_WEIGHTS} (the calib job reads its
 * {@code loss:} section through them).
 *
 * @param supervisedWeights    weight of each head's supervised penalty (≥ 0, length 10)
 * @param penalty              per-head penalty of the supervised term
 * @param huberDelta           δ of {@link SupervisedPenalty#HUBER}, in normalized units (> 0; unused otherwise)
 * @param vanishingPointWeight weight of {@link UgclTerm#VANISHING_POINTS} (≥ 0)
 * @param worldOriginWeight    weight of {@link UgclTerm#WORLD_ORIGIN} (≥ 0)
 * @param axisPlaneWeight      weight of {@link UgclTerm#AXIS_PLANES} (≥ 0)
 * @param rotationWeight       weight of {@link UgclTerm#ROTATION} (≥ 0)
 * @param constraintSmoothing  δ of the Charbonnier smoothing of the homogeneous distances (> 0)
 * @param imageWidth           width in pixels of the images the parameters refer to (conditions P)
 * @param imageHeight          height in pixels
 */
public record UgclLossConfig(double[] supervisedWeights, SupervisedPenalty penalty, double huberDelta,
                             double vanishingPointWeight, double worldOriginWeight, double axisPlaneWeight,
                             double rotationWeight, double constraintSmoothing, int imageWidth, int imageHeight)
        implements Serializable {

    /** The {@code loss:} keys of a job config (docs/calibration.md's table is generated from them). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.map("supervisedWeights", "1 per parameter", "weight of each head's supervised penalty, by "
                    + "parameter key (the loss.supervisedWeights keys below); missing = 1"),
            Param.choice("penalty", "l1", List.of("l1", "l2", "huber"),
                    "per-head penalty of the supervised term (l1: the reference's MAE)"),
            Param.real("huberDelta", 0.05, Rule.POSITIVE, "δ of the Huber penalty, in normalized units"),
            Param.real("vanishingPointWeight", 1.0, Rule.NON_NEGATIVE,
                    "weight of the vanishing points of the forward and up axes"),
            Param.real("worldOriginWeight", 1.0, Rule.NON_NEGATIVE, "weight of the image of the world origin"),
            Param.real("axisPlaneWeight", 1.0, Rule.NON_NEGATIVE, "weight of the two axis planes (rows 0 and 1 of P)"),
            Param.real("rotationWeight", 0.0, Rule.NON_NEGATIVE, "weight of rotation orthonormality (identically "
                    + "satisfied by the one-angle rotation: inert)"),
            Param.real("constraintSmoothing", 1e-3, Rule.POSITIVE,
                    "Charbonnier δ of the homogeneous distances"));

    /** The keys of {@code loss.supervisedWeights}: one per head, by {@link CalibParam#key()}. */
    public static final ParamTable SUPERVISED_WEIGHTS = supervisedWeightParams();

    private static final String SECTION = "loss";

    public UgclLossConfig {
        if (supervisedWeights == null || supervisedWeights.length != CalibParam.COUNT) {
            throw new ParamException("loss.supervisedWeights", "need " + CalibParam.COUNT + " weights ("
                    + Arrays.stream(CalibParam.values()).map(CalibParam::key).toList() + "), got "
                    + (supervisedWeights == null ? "none" : supervisedWeights.length));
        }
        for (CalibParam p : CalibParam.values()) {
            SUPERVISED_WEIGHTS.real("loss.supervisedWeights", p.key(), supervisedWeights[p.index()]);
        }
        supervisedWeights = supervisedWeights.clone();
        if (penalty == null) {
            throw new ParamException("loss.penalty", "missing; must be one of l1, l2, huber");
        }
        PARAMS.real(SECTION, "huberDelta", huberDelta);
        PARAMS.real(SECTION, "vanishingPointWeight", vanishingPointWeight);
        PARAMS.real(SECTION, "worldOriginWeight", worldOriginWeight);
        PARAMS.real(SECTION, "axisPlaneWeight", axisPlaneWeight);
        PARAMS.real(SECTION, "rotationWeight", rotationWeight);
        PARAMS.real(SECTION, "constraintSmoothing", constraintSmoothing);
        Checks.positive("loss.imageWidth", imageWidth);
        Checks.positive("loss.imageHeight", imageHeight);
    }

    /** Supervised term only (all heads weight 1, the reference's L1), no constraints. */
    public static UgclLossConfig supervisedOnly(int imageWidth, int imageHeight) {
        return new UgclLossConfig(ones(), SupervisedPenalty.L1, PARAMS.real(SECTION, "huberDelta", null), 0, 0, 0, 0,
                PARAMS.real(SECTION, "constraintSmoothing", null), imageWidth, imageHeight);
    }

    /** Supervised term plus every constraint term with weight {@code constraintWeight}. */
    public static UgclLossConfig withConstraints(int imageWidth, int imageHeight, double constraintWeight) {
        return new UgclLossConfig(ones(), SupervisedPenalty.L1, PARAMS.real(SECTION, "huberDelta", null),
                constraintWeight, constraintWeight, constraintWeight, constraintWeight,
                PARAMS.real(SECTION, "constraintSmoothing", null), imageWidth, imageHeight);
    }

    /** A copy with the weight of {@code term} (for {@link UgclTerm#SUPERVISED}: every head's weight) set to w. */
    public UgclLossConfig withWeight(UgclTerm term, double w) {
        double[] sw = supervisedWeights;
        double vp = vanishingPointWeight;
        double wo = worldOriginWeight;
        double ap = axisPlaneWeight;
        double rot = rotationWeight;
        switch (term) {
            case SUPERVISED -> {
                sw = new double[CalibParam.COUNT];
                Arrays.fill(sw, w);
            }
            case VANISHING_POINTS -> vp = w;
            case WORLD_ORIGIN -> wo = w;
            case AXIS_PLANES -> ap = w;
            case ROTATION -> rot = w;
            default -> throw new IllegalStateException(term.name());
        }
        return new UgclLossConfig(sw, penalty, huberDelta, vp, wo, ap, rot, constraintSmoothing, imageWidth,
                imageHeight);
    }

    public UgclLossConfig withPenalty(SupervisedPenalty p, double delta) {
        return new UgclLossConfig(supervisedWeights, p, delta, vanishingPointWeight, worldOriginWeight,
                axisPlaneWeight, rotationWeight, constraintSmoothing, imageWidth, imageHeight);
    }

    @Override
    public double[] supervisedWeights() {
        return supervisedWeights.clone();
    }

    /** Weight of a constraint term (not {@link UgclTerm#SUPERVISED}, whose weights are per head). */
    public double weight(UgclTerm term) {
        return switch (term) {
            case VANISHING_POINTS -> vanishingPointWeight;
            case WORLD_ORIGIN -> worldOriginWeight;
            case AXIS_PLANES -> axisPlaneWeight;
            case ROTATION -> rotationWeight;
            case SUPERVISED -> throw new IllegalArgumentException("supervised weights are per head");
        };
    }

    /** The ten head weights at their declared default (1). */
    private static double[] ones() {
        double[] w = new double[CalibParam.COUNT];
        for (CalibParam p : CalibParam.values()) {
            w[p.index()] = SUPERVISED_WEIGHTS.real("loss.supervisedWeights", p.key(), null);
        }
        return w;
    }

    private static ParamTable supervisedWeightParams() {
        List<Param> params = new ArrayList<>();
        for (CalibParam p : CalibParam.values()) {
            params.add(Param.real(p.key(), 1.0, Rule.NON_NEGATIVE, "weight of the " + p.key() + " head (" + p.unit()
                    + ")"));
        }
        return new ParamTable(params);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UgclLossConfig c && Arrays.equals(supervisedWeights, c.supervisedWeights)
                && penalty == c.penalty && huberDelta == c.huberDelta && vanishingPointWeight == c.vanishingPointWeight
                && worldOriginWeight == c.worldOriginWeight && axisPlaneWeight == c.axisPlaneWeight
                && rotationWeight == c.rotationWeight && constraintSmoothing == c.constraintSmoothing
                && imageWidth == c.imageWidth && imageHeight == c.imageHeight;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {Arrays.hashCode(supervisedWeights), penalty.ordinal(), huberDelta,
            vanishingPointWeight, worldOriginWeight, axisPlaneWeight, rotationWeight, constraintSmoothing,
            imageWidth, imageHeight});
    }

    @Override
    public String toString() {
        return "UgclLossConfig{supervisedWeights=" + Arrays.toString(supervisedWeights) + ", penalty=" + penalty
                + ", huberDelta=" + huberDelta + ", vanishingPointWeight=" + vanishingPointWeight
                + ", worldOriginWeight=" + worldOriginWeight + ", axisPlaneWeight=" + axisPlaneWeight
                + ", rotationWeight=" + rotationWeight + ", constraintSmoothing=" + constraintSmoothing
                + ", imageWidth=" + imageWidth + ", imageHeight=" + imageHeight + '}';
    }
}
