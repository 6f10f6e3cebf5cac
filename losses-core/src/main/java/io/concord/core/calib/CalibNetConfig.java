package io.concord.core.calib;

import io.concord.core.param.ParamException;
import io.concord.core.param.Checks;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Shape of the calibration CNN ({@link CalibNetwork}). Config keys are {@code model.<component name>}.
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
            Checks.positive("model.convChannels[" + i + "]", convChannels[i]);
        }
        convChannels = convChannels.clone();
        Checks.positive("model.denseUnits", denseUnits);
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new ParamException("model.dataType", "" + dataType + " is not allowed; must be FLOAT or "
                    + "DOUBLE");
        }
        Checks.positive("model.learningRate", learningRate);
    }

    /** A CPU-sized default: four stride-2 convolutions (16, 32, 64, 64), 128 dense units, float, stacked views. */
    public static CalibNetConfig small(int height, int width) {
        return new CalibNetConfig(height, width, 3, Fusion.STACKED, new int[] {16, 32, 64, 64}, 128, DataType.FLOAT,
                1e-3, 12345L);
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
