package io.concord.data.calib;

import io.concord.core.calib.CalibNetConfig;
import io.concord.core.calib.CalibParam;
import io.concord.core.calib.ParamScaling;
import io.concord.core.model.dl4j.Dl4jNetworkModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Objects;

/**
 * Turns {@link StereoPair} batches into the inputs of {@code io.concord.core.calib.CalibNetwork}: NCHW float images
 * scaled to {@code byte/255 − 0.5}, stacked as six channels (left RGB, right RGB) or as two inputs, and labels
 * normalized with a {@link ParamScaling}.
 */
public final class StereoPairBatches {

    private StereoPairBatches() {
    }

    /** A serializable converter for {@link Dl4jNetworkModel}. */
    public static Dl4jNetworkModel.BatchConverter<StereoPair> converter(CalibNetConfig.Fusion fusion,
                                                                         ParamScaling scaling) {
        Objects.requireNonNull(fusion, "fusion");
        Objects.requireNonNull(scaling, "scaling");
        return batch -> new MultiDataSet(features(batch, fusion), new INDArray[] {labels(batch, scaling)});
    }

    public static INDArray[] features(List<StereoPair> batch, CalibNetConfig.Fusion fusion) {
        StereoPair first = batch.get(0);
        int n = batch.size();
        int w = first.width();
        int h = first.height();
        int c = StereoPair.CHANNELS;
        int plane = w * h;
        if (fusion == CalibNetConfig.Fusion.STACKED) {
            float[] data = new float[n * 2 * c * plane];
            for (int i = 0; i < n; i++) {
                StereoPair p = check(batch.get(i), w, h);
                toChw(p.left(), data, (i * 2 * c) * plane, plane);
                toChw(p.right(), data, (i * 2 * c + c) * plane, plane);
            }
            return new INDArray[] {Nd4j.create(data, new long[] {n, 2L * c, h, w}, 'c')};
        }
        float[] left = new float[n * c * plane];
        float[] right = new float[n * c * plane];
        for (int i = 0; i < n; i++) {
            StereoPair p = check(batch.get(i), w, h);
            toChw(p.left(), left, i * c * plane, plane);
            toChw(p.right(), right, i * c * plane, plane);
        }
        return new INDArray[] {Nd4j.create(left, new long[] {n, c, h, w}, 'c'),
            Nd4j.create(right, new long[] {n, c, h, w}, 'c')};
    }

    /** Normalized labels {@code [n, 10]} (float). */
    public static INDArray labels(List<StereoPair> batch, ParamScaling scaling) {
        float[] data = new float[batch.size() * CalibParam.COUNT];
        for (int i = 0; i < batch.size(); i++) {
            float[] label = batch.get(i).label();
            for (int k = 0; k < CalibParam.COUNT; k++) {
                data[i * CalibParam.COUNT + k] = (float) scaling.normalize(k, label[k]);
            }
        }
        return Nd4j.create(data, new long[] {batch.size(), CalibParam.COUNT}, 'c').castTo(DataType.FLOAT);
    }

    /** Physical labels, one row per record. */
    public static double[][] physicalLabels(List<StereoPair> pairs) {
        double[][] out = new double[pairs.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = pairs.get(i).labelVector();
        }
        return out;
    }

    private static StereoPair check(StereoPair p, int w, int h) {
        if (p.width() != w || p.height() != h) {
            throw new IllegalArgumentException("record '" + p.id() + "' is " + p.width() + "x" + p.height()
                    + " but its batch is " + w + "x" + h);
        }
        return p;
    }

    private static void toChw(byte[] hwc, float[] out, int offset, int plane) {
        for (int px = 0; px < plane; px++) {
            int o = px * StereoPair.CHANNELS;
            for (int ch = 0; ch < StereoPair.CHANNELS; ch++) {
                out[offset + ch * plane + px] = (hwc[o + ch] & 0xFF) / 255f - 0.5f;
            }
        }
    }
}
