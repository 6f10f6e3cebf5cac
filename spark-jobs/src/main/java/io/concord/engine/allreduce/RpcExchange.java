package io.concord.engine.allreduce;

import org.apache.spark.BarrierTaskContext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/**
 * The measured alternative: every slice travels as base64 text through {@code BarrierTaskContext.allGather}, i.e.
 * through the driver's barrier coordinator, which sends every task's payload to every task. Reduce-scatter therefore
 * moves whole vectors (P² · 4N bytes through the driver per collective); fine for small models only.
 */
final class RpcExchange extends BarrierExchange {

    RpcExchange(BarrierTaskContext barrier) {
        super(barrier);
    }

    @Override
    public void reduceInPlace(float[] full) {
        Slices slices = new Slices(full.length, parts);
        String[] all = allGather(encode(full, 0, full.length));
        float[] acc = null;
        for (int s = 0; s < parts; s++) {
            float[] contribution = s == partition
                    ? Arrays.copyOfRange(full, slices.lo(partition), slices.hi(partition))
                    : decode(all[s], slices.lo(partition), slices.size(partition));
            if (acc == null) {
                acc = contribution;
            } else {
                addInto(acc, contribution, 0);
            }
        }
        System.arraycopy(acc, 0, full, slices.lo(partition), acc.length);
    }

    @Override
    public void gatherInto(float[] vector) {
        Slices slices = new Slices(vector.length, parts);
        String[] all = allGather(encode(vector, slices.lo(partition), slices.size(partition)));
        for (int s = 0; s < parts; s++) {
            if (s != partition) {
                float[] slice = decode(all[s], 0, slices.size(s));
                System.arraycopy(slice, 0, vector, slices.lo(s), slice.length);
            }
        }
    }

    @Override
    public long peerBytesFetched() {
        return 0;
    }

    @Override
    public void close() {
    }

    @Override
    public void abandon() {
    }

    private static String encode(float[] values, int offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values, offset, length);
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    private static float[] decode(String text, int offset, int length) {
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[length];
        buffer.position(offset * Float.BYTES);
        buffer.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
