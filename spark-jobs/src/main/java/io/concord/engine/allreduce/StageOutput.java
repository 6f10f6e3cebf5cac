package io.concord.engine.allreduce;

import java.util.ArrayList;
import java.util.List;

/**
 * What one task of a barrier stage returns: the per-round reports (partition 0 only: every task holds the same merged
 * values), the SHA-256 of the checkpoint slice it wrote (or null), and its traffic counters. Its final slices stay in
 * its executor's block manager ({@link StateBlocks}).
 */
public final class StageOutput {

    private int partition;
    private List<RoundReport> reports;
    private String sliceSha256;
    private long driverBytesSent;
    private long driverBytesReceived;
    private long peerBytesFetched;
    private ArrayList<String> leftOverBlocks;

    StageOutput() {
    }

    public StageOutput(int partition, List<RoundReport> reports, String sliceSha256, long driverBytesSent,
                       long driverBytesReceived, long peerBytesFetched, List<String> leftOverBlocks) {
        this.partition = partition;
        this.reports = reports;
        this.sliceSha256 = sliceSha256;
        this.driverBytesSent = driverBytesSent;
        this.driverBytesReceived = driverBytesReceived;
        this.peerBytesFetched = peerBytesFetched;
        this.leftOverBlocks = new ArrayList<>(leftOverBlocks);
    }

    public int partition() {
        return partition;
    }

    public List<RoundReport> reports() {
        return reports;
    }

    public String sliceSha256() {
        return sliceSha256;
    }

    public long driverBytesSent() {
        return driverBytesSent;
    }

    public long driverBytesReceived() {
        return driverBytesReceived;
    }

    public long peerBytesFetched() {
        return peerBytesFetched;
    }

    /** Blocks the task still held at its end, for the driver to remove. */
    public List<String> leftOverBlocks() {
        return leftOverBlocks;
    }
}
