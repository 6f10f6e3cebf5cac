package io.concord.engine.allreduce;

import java.util.ArrayList;
import java.util.List;

/**
 * What one task of a barrier stage returns: its owned slice of the final parameters and optimizer state, the
 * per-round reports (partition 0 only: every task holds the same merged values) and its traffic counters.
 */
public final class StageOutput {

    private int partition;
    private float[] params;
    private float[] optimizerState;
    private List<RoundReport> reports;
    private long driverBytesSent;
    private long driverBytesReceived;
    private long peerBytesFetched;
    private ArrayList<String> leftOverBlocks;

    StageOutput() {
    }

    public StageOutput(int partition, float[] params, float[] optimizerState, List<RoundReport> reports,
                       long driverBytesSent, long driverBytesReceived, long peerBytesFetched,
                       List<String> leftOverBlocks) {
        this.partition = partition;
        this.params = params;
        this.optimizerState = optimizerState;
        this.reports = reports;
        this.driverBytesSent = driverBytesSent;
        this.driverBytesReceived = driverBytesReceived;
        this.peerBytesFetched = peerBytesFetched;
        this.leftOverBlocks = new ArrayList<>(leftOverBlocks);
    }

    public int partition() {
        return partition;
    }

    public float[] params() {
        return params;
    }

    public float[] optimizerState() {
        return optimizerState;
    }

    public List<RoundReport> reports() {
        return reports;
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
