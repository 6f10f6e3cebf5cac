package io.concord.engine.allreduce;

import org.apache.spark.BarrierTaskContext;

import java.nio.charset.StandardCharsets;

/** What both exchanges share: the barrier context, the slicing and the driver-RPC accounting of allGather. */
abstract class BarrierExchange implements PeerExchange {

    protected final BarrierTaskContext barrier;
    protected final int partition;
    protected final int parts;
    private long driverSent;
    private long driverReceived;

    BarrierExchange(BarrierTaskContext barrier) {
        this.barrier = barrier;
        this.partition = barrier.partitionId();
        this.parts = barrier.getTaskInfos().length;
    }

    @Override
    public String[] allGather(String payload) {
        String[] all = barrier.allGather(payload);
        driverSent += payload.getBytes(StandardCharsets.UTF_8).length;
        for (String s : all) {
            driverReceived += s.length();
        }
        return all;
    }

    @Override
    public long driverBytesSent() {
        return driverSent;
    }

    @Override
    public long driverBytesReceived() {
        return driverReceived;
    }

    /** {@code acc[i] += values[offset + i]} for every i of acc. */
    static void addInto(float[] acc, float[] values, int offset) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += values[offset + i];
        }
    }
}
