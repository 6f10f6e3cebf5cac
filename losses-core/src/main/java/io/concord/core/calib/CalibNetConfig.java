package io.concord.core.calib;

import io.concord.core.param.Checks;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamException;
import io.concord.core.param.ParamTable;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Shape of the calibration CNN ({@link CalibNetwork}). Config keys are {@code model.<component name>}; the keys a job
 * config sets are declared in {@link #PARAMS} (the calib job reads its {@code model:} section through them).
 *
 * @param height          image height in pixels
 * @param width           image width in pixels
 * @param channelsPerView channels of one view (3 for RGB)
 * @param fusion          how the two views meet
 * @param convChannels    output channels of each stride-2 convolution (first kernel 5×5, the rest 3×3)
 * @param denseUnits      width of the fully connected layer before the ten outputs
 * @param dataType        network data type (FLOAT to train, DOUBLE for gradient checks)
 * @param learningRate    Adam learning rate, used only when DL4J's own updater trains the network (DL4J's
 *                        ParameterAveragingTrainingMaster); the Concord engine uses its own optimizer
 * @param seed            DL4J weight-initialisation seed
 */
public record CalibNetConfig(int height, int width, int channelsPerView, Fusion fusion, int[] convChannels,
                             int denseUnits, DataType dataType, double learningRate, long seed)
        implements Serializable {

    /** Where the two views are combined. */
    public enum Fusion {
        /** One tower over the six stacked channels (left then right): the views meet at the first convolution. */
        STACKED,
        /** One tower per view (separate weights, as in the reference), merged after the last convolution. */
        TWO_TOWERS
    }

    /** The default {@code model.convChannels}. */
    private static final List<Integer> CONV_CHANNELS = List.of(16, 32, 64, 64);

    /** The {@code model:} keys of a job config (docs/calibration.md's table is generated from them). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.choice("fusion", "stacked", List.of("stacked", "two_towers"), "where the two views meet: one "
                    + "tower over the six stacked channels, or one tower per view merged after the last convolution"),
            Param.optionalInteger("convChannels", CONV_CHANNELS.toString(), Rule.atLeast(1), "output channels of "
                    + "each stride-2 convolution (first kernel 5×5, the rest 3×3), a list"),
            Param.integer("denseUnits", 128, Rule.atLeast(1), "width of the fully connected layer"),
            Param.choice("dataType", "float", List.of("float", "double"),
                    "network data type (float to train, double for gradient checks)"));

    /** Key prefix of this record's messages. */
    private static final String SECTION = "model";

    public CalibNetConfig {
        Checks.positive("model.height", height);
        Checks.positive("model.width", width);
        Checks.positive("model.channelsPerView", channelsPerView);
        if (fusion == null) {
            throw new ParamException("model.fusion", "missing; must be one of stacked, two_towers");
        }
        if (convChannels == null || convChannels.length == 0) {
            throw new ParamException("model.convChannels", "need at least one convolution");
        }
        for (int i = 0; i < convChannels.length; i++) {
            PARAMS.integerAt(SECTION + ".convChannels[" + i + "]", "convChannels", convChannels[i]);
        }
        convChannels = convChannels.clone();
        PARAMS.integer(SECTION, "denseUnits", denseUnits);
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new ParamException("model.dataType", "" + dataType + " is not allowed; must be FLOAT or "
                    + "DOUBLE");
        }
        Checks.positive("model.learningRate", learningRate);
    }

    /** The default {@code model.convChannels} (immutable). */
    public static List<Integer> defaultConvChannels() {
        return CONV_CHANNELS;
    }

    /**
     * A CPU-sized default, the declared defaults ({@link #PARAMS}): four stride-2 convolutions (16, 32, 64, 64), 128
     * dense units, float, stacked views.
     */
    public static CalibNetConfig small(int height, int width) {
        return new CalibNetConfig(height, width, 3, fusionOf(PARAMS.choice(SECTION, "fusion", null)),
                CONV_CHANNELS.stream().mapToInt(Integer::intValue).toArray(),
                PARAMS.integer(SECTION, "denseUnits", null),
                dataTypeOf(PARAMS.choice(SECTION, "dataType", null)), 1e-3, 12345L);
    }

    /** The fusion of a {@code model.fusion} value (checked against the declaration). */
    public static Fusion fusionOf(String name) {
        return Fusion.valueOf(PARAMS.choice(SECTION, "fusion", name).toUpperCase(Locale.ROOT));
    }

    /** The data type of a {@code model.dataType} value (checked against the declaration). */
    public static DataType dataTypeOf(String name) {
        return PARAMS.choice(SECTION, "dataType", name).equals("double") ? DataType.DOUBLE : DataType.FLOAT;
    }

    public CalibNetConfig withFusion(Fusion f) {
        return new CalibNetConfig(height, width, channelsPerView, f, convChannels, denseUnits, dataType,
                learningRate, seed);
    }

    public CalibNetConfig withDataType(DataType t) {
        return new CalibNetConfig(height, width, channelsPerView, fusion, convChannels, denseUnits, t, learningRate,
                seed);
    }

    @Override
    public int[] convChannels() {
        return convChannels.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CalibNetConfig c && height == c.height && width == c.width
                && channelsPerView == c.channelsPerView && fusion == c.fusion
                && Arrays.equals(convChannels, c.convChannels) && denseUnits == c.denseUnits
                && dataType == c.dataType && learningRate == c.learningRate && seed == c.seed;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {height, width, channelsPerView, fusion, Arrays.hashCode(convChannels),
            denseUnits, dataType, learningRate, seed});
    }

    @Override
    public String toString() {
        return "CalibNetConfig{" + height + "x" + width + "x" + channelsPerView + ", fusion=" + fusion
                + ", convChannels=" + Arrays.toString(convChannels) + ", denseUnits=" + denseUnits + ", dataType="
                + dataType + ", learningRate=" + learningRate + ", seed=" + seed + '}';
    }
}
