package io.concord.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a round's parameter-sized vectors travel between partitions ({@code train.transport}). */
public enum Transport {
    /** One Spark job per round: parameters broadcast from the driver, partition records folded on the driver. */
    DRIVER("driver"),
    /**
     * Barrier stages of {@code train.roundsPerStage} rounds: partition p owns slice p; reduce-scatter and all-gather
     * of slices through the executors' block managers; only scalars and statistics pass through the driver.
     */
    ALLREDUCE("allreduce"),
    /**
     * As {@link #ALLREDUCE}, but every slice travels through {@code BarrierTaskContext.allGather} (RPC via the
     * driver). Kept as the measured alternative; not meant for large models.
     */
    ALLREDUCE_RPC("allreduce-rpc");

    private final String configName;

    Transport(String configName) {
        this.configName = configName;
    }

    @JsonValue
    public String configName() {
        return configName;
    }

    public boolean barrier() {
        return this != DRIVER;
    }

    @JsonCreator
    public static Transport fromConfig(String value) {
        for (Transport t : values()) {
            if (t.configName.equals(value) || t.name().equalsIgnoreCase(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not allowed; must be one of "
                + Arrays.stream(values()).map(Transport::configName).collect(Collectors.joining(", ")));
    }
}
