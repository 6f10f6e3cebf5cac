package io.concord.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.concord.config.ConfigException;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;
import org.apache.spark.storage.StorageLevel;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The {@code train:} section of a job config: how the engine distributes and synchronises training.
 *
 * @param sync                  {@code global-batch} or {@code parameter-averaging}
 * @param rounds                number of rounds (synchronisations) to run
 * @param partitions            number of shards; 0 = Spark's default parallelism
 * @param batchSize             examples per partition per local step; 0 = the whole shard (full batch)
 * @param localSteps            optimizer steps per partition per round (parameter averaging only; the averaging
 *                              frequency)
 * @param averageOptimizerState average optimizer state with the parameters (parameter averaging); otherwise each round
 *                              starts from a fresh optimizer state
 * @param aggregationDepth      driver transport: 1 = fold partition results on the driver as they arrive (in
 *                              partition order); ≥ 2 = first fold contiguous groups of partitions on executors, then
 *                              the groups on the driver (a partition-ordered tree, {@code OrderedReduce}); either way
 *                              the sum is the same left fold in partition order
 * @param shuffle               visit each shard in a fresh seeded permutation every epoch
 * @param checkpointEvery       write a checkpoint every k rounds (0 = only at the end)
 * @param keepCheckpoints       how many of the newest checkpoints to keep
 * @param storageLevel          Spark storage level of the cached shards
 * @param clipNorm              clip the reduced gradient to this global L2 norm before each step (0 = off)
 * @param injectFault           testing aid: the first attempt of this (round, partition) task throws after
 *                              computing, to prove retries never double count
 * @param transport             {@code driver} (one Spark job per round, vectors through the driver) or
 *                              {@code allreduce} (barrier stages, sharded reduce-scatter/all-gather between executors)
 * @param roundsPerStage        allreduce transport: rounds one barrier stage runs before returning to the driver
 *                              (capped by the next checkpoint and by rounds whose state a listener reads)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EngineConfig(
        SyncMode sync,
        Integer rounds,
        Integer partitions,
        Integer batchSize,
        Integer localSteps,
        Boolean averageOptimizerState,
        Integer aggregationDepth,
        Boolean shuffle,
        Integer checkpointEvery,
        Integer keepCheckpoints,
        String storageLevel,
        Double clipNorm,
        FaultInjection injectFault,
        Transport transport,
        Integer roundsPerStage) implements Serializable {

    /** The declared keys of the {@code train:} section ({@code injectFault} is a testing aid, unset by default). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.choice("sync", SyncMode.GLOBAL_BATCH.configName(),
                    Arrays.stream(SyncMode.values()).map(SyncMode::configName).toList(),
                    "global-batch (one step per round on the union of the partitions' minibatches) or "
                            + "parameter-averaging (local steps, then the parameters are averaged)"),
            Param.integer("rounds", 100, Rule.atLeast(1), "number of rounds (synchronisations) to run"),
            Param.integer("partitions", 0, Rule.atLeast(0), "number of shards; 0 = Spark's default parallelism"),
            Param.integer("batchSize", 64, Rule.atLeast(0),
                    "examples per partition per local step; 0 = the whole shard (full batch)"),
            Param.integer("localSteps", 1, Rule.atLeast(1),
                    "optimizer steps per partition per round (parameter-averaging only)"),
            Param.bool("averageOptimizerState", true,
                    "average optimizer state with the parameters (parameter-averaging)"),
            Param.integer("aggregationDepth", 1, Rule.atLeast(1), "driver transport: 1 = fold partition results "
                    + "on the driver; >= 2 = first fold contiguous groups of partitions on executors"),
            Param.bool("shuffle", true, "visit each shard in a fresh seeded permutation every epoch"),
            Param.integer("checkpointEvery", 10, Rule.atLeast(0), "write a checkpoint every k rounds (0 = only at "
                    + "the end)"),
            Param.integer("keepCheckpoints", 3, Rule.atLeast(1), "how many of the newest checkpoints to keep"),
            Param.string("storageLevel", "MEMORY_AND_DISK_SER", "a Spark storage level",
                    "Spark storage level of the cached shards"),
            Param.real("clipNorm", 0.0, Rule.NON_NEGATIVE, "clip the reduced gradient to this global L2 norm "
                    + "(0 = off)"),
            Param.choice("transport", Transport.DRIVER.configName(),
                    Arrays.stream(Transport.values()).map(Transport::configName).toList(),
                    "driver (one Spark job per round, vectors through the driver), allreduce (barrier stages, "
                            + "slices between executors) or allreduce-rpc (the same through the driver's RPC)"),
            Param.integer("roundsPerStage", 100, Rule.atLeast(1),
                    "allreduce transport: rounds one barrier stage runs before returning to the driver (a stage also "
                            + "ends at checkpoints, evaluations and the last round; a stop request waits for it)"));

    private static final String SECTION = "train";

    public EngineConfig {
        sync = PARAMS.choice(SECTION, "sync", sync, SyncMode.class);
        rounds = PARAMS.integer(SECTION, "rounds", rounds);
        partitions = PARAMS.integer(SECTION, "partitions", partitions);
        batchSize = PARAMS.integer(SECTION, "batchSize", batchSize);
        localSteps = PARAMS.integer(SECTION, "localSteps", localSteps);
        averageOptimizerState = PARAMS.bool(SECTION, "averageOptimizerState", averageOptimizerState);
        aggregationDepth = PARAMS.integer(SECTION, "aggregationDepth", aggregationDepth);
        shuffle = PARAMS.bool(SECTION, "shuffle", shuffle);
        checkpointEvery = PARAMS.integer(SECTION, "checkpointEvery", checkpointEvery);
        keepCheckpoints = PARAMS.integer(SECTION, "keepCheckpoints", keepCheckpoints);
        storageLevel = PARAMS.string(SECTION, "storageLevel", storageLevel);
        clipNorm = PARAMS.real(SECTION, "clipNorm", clipNorm);
        transport = PARAMS.choice(SECTION, "transport", transport, Transport.class);
        roundsPerStage = PARAMS.integer(SECTION, "roundsPerStage", roundsPerStage);
        try {
            StorageLevel.fromString(storageLevel);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("train.storageLevel", storageLevel,
                    "a Spark storage level such as MEMORY_AND_DISK_SER, MEMORY_ONLY_SER, MEMORY_ONLY, DISK_ONLY");
        }
        if (sync == SyncMode.GLOBAL_BATCH && localSteps != 1) {
            throw new ConfigException("train.localSteps", localSteps,
                    "1 with train.sync: global-batch (local steps apply to parameter-averaging)");
        }
    }

    /** The settings of the driver transport (the fields that came before the allreduce transport). */
    public EngineConfig(SyncMode sync, Integer rounds, Integer partitions, Integer batchSize, Integer localSteps,
                        Boolean averageOptimizerState, Integer aggregationDepth, Boolean shuffle,
                        Integer checkpointEvery, Integer keepCheckpoints, String storageLevel, Double clipNorm,
                        FaultInjection injectFault) {
        this(sync, rounds, partitions, batchSize, localSteps, averageOptimizerState, aggregationDepth, shuffle,
                checkpointEvery, keepCheckpoints, storageLevel, clipNorm, injectFault, null, null);
    }

    public static EngineConfig defaults() {
        return new EngineConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public EngineConfig withTransport(Transport newTransport, int newRoundsPerStage) {
        return new EngineConfig(sync, rounds, partitions, batchSize, localSteps, averageOptimizerState,
                aggregationDepth, shuffle, checkpointEvery, keepCheckpoints, storageLevel, clipNorm, injectFault,
                newTransport, newRoundsPerStage);
    }

    public EngineConfig withSync(SyncMode mode, int steps) {
        return new EngineConfig(mode, rounds, partitions, batchSize, steps, averageOptimizerState, aggregationDepth,
                shuffle, checkpointEvery, keepCheckpoints, storageLevel, clipNorm, injectFault,
                transport, roundsPerStage);
    }

    public EngineConfig withRounds(int newRounds) {
        return new EngineConfig(sync, newRounds, partitions, batchSize, localSteps, averageOptimizerState,
                aggregationDepth, shuffle, checkpointEvery, keepCheckpoints, storageLevel, clipNorm, injectFault,
                transport, roundsPerStage);
    }

    public EngineConfig withPartitions(int newPartitions) {
        return new EngineConfig(sync, rounds, newPartitions, batchSize, localSteps, averageOptimizerState,
                aggregationDepth, shuffle, checkpointEvery, keepCheckpoints, storageLevel, clipNorm, injectFault,
                transport, roundsPerStage);
    }

    public EngineConfig withBatchSize(int newBatchSize) {
        return new EngineConfig(sync, rounds, partitions, newBatchSize, localSteps, averageOptimizerState,
                aggregationDepth, shuffle, checkpointEvery, keepCheckpoints, storageLevel, clipNorm, injectFault,
                transport, roundsPerStage);
    }

    public EngineConfig withFault(FaultInjection fault) {
        return new EngineConfig(sync, rounds, partitions, batchSize, localSteps, averageOptimizerState,
                aggregationDepth, shuffle, checkpointEvery, keepCheckpoints, storageLevel, clipNorm, fault,
                transport, roundsPerStage);
    }

    public EngineConfig withCheckpointEvery(int every) {
        return new EngineConfig(sync, rounds, partitions, batchSize, localSteps, averageOptimizerState,
                aggregationDepth, shuffle, every, keepCheckpoints, storageLevel, clipNorm, injectFault,
                transport, roundsPerStage);
    }

    public EngineConfig withAggregationDepth(int depth) {
        return new EngineConfig(sync, rounds, partitions, batchSize, localSteps, averageOptimizerState, depth,
                shuffle, checkpointEvery, keepCheckpoints, storageLevel, clipNorm, injectFault,
                transport, roundsPerStage);
    }

    /** Optimizer steps one round makes on each partition. */
    public int stepsPerRound() {
        return sync == SyncMode.PARAMETER_AVERAGING ? localSteps : 1;
    }


    /**
     * Testing aid: the first attempt of the task for ({@code round}, {@code partition}) fails after it has computed
     * its result and updated its accumulators.
     */
    public record FaultInjection(int round, int partition, String phase) implements Serializable {

        /** A fault in the round's main exchange (the round action, or the allreduce transport's reduce-scatter). */
        public FaultInjection(int round, int partition) {
            this(round, partition, null);
        }
    }
}
