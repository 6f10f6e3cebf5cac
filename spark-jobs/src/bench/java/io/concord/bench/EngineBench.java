package io.concord.bench;

import io.concord.core.optim.Adam;
import io.concord.engine.EngineConfig;
import io.concord.engine.RoundSummary;
import io.concord.engine.Shard;
import io.concord.engine.Sharding;
import io.concord.engine.StatisticSet;
import io.concord.engine.SyncMode;
import io.concord.engine.TrainingEngine;
import io.concord.engine.TrainingState;
import io.concord.engine.Transport;
import io.concord.engine.metrics.RunMetrics;
import io.concord.job.ConcordSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Per-round time split of the engine (broadcast, compute, aggregate, update) and the driver's bytes per round for
 * parameter vectors of 1M, 10M and 50M floats, for both transports, both sync modes and several partition counts,
 * with Adam (parameter averaging ships and averages its state too). Run by {@code scripts/bench-engine}; prints one
 * table.
 */
public final class EngineBench {

    private EngineBench() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length > 0 ? java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt)
                .toArray() : new int[] {1_000_000, 10_000_000, 50_000_000};
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int[] partitionCounts = args.length > 3 ? java.util.Arrays.stream(args[3].split(","))
                .mapToInt(Integer::parseInt).toArray() : new int[] {2};
        int maxPartitions = java.util.Arrays.stream(partitionCounts).max().getAsInt();
        String master = args.length > 2 ? args[2] : "local[" + maxPartitions + "]";
        List<Transport> transports = new ArrayList<>();
        for (String t : (args.length > 4 ? args[4] : "driver,allreduce").split(",")) {
            transports.add(Transport.fromConfig(t));
        }
        List<String> rows = new ArrayList<>();
        Map<String, String> conf = new java.util.HashMap<>(Map.of("spark.ui.enabled", "false"));
        // Extra Spark properties for A/B runs: -Dconcord.bench.conf=key=value,key=value
        for (String kv : System.getProperty("concord.bench.conf", "").split(",")) {
            if (kv.contains("=")) {
                conf.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        try (JavaSparkContext sc = new JavaSparkContext(ConcordSpark.conf(master, "concord-bench-engine", conf))) {
            sc.sc().addSparkListener(TASKS);
            for (int partitions : partitionCounts) {
                JavaRDD<Shard<Long>> shards = Sharding.shard(
                        sc.parallelize(LongStream.range(0, 64L * partitions).boxed().toList(), partitions), partitions,
                        1L, StorageLevel.MEMORY_AND_DISK_SER());
                Sharding.sizes(shards);
                for (int n : sizes) {
                    for (Transport transport : transports) {
                        for (SyncMode mode : SyncMode.values()) {
                            String row = measure(sc, shards, n, mode, transport, partitions, rounds);
                            rows.add(row);
                            // each row as soon as it is measured, so a later failure (e.g. out of memory at 50M)
                            // keeps the rows already measured
                            System.err.println("bench-engine row: " + row);
                            System.gc();
                        }
                    }
                }
                shards.unpersist(true);
            }
        }
        System.out.println();
        System.out.println("Concord engine per-round time split, " + master + ", Adam, mean of " + rounds
                + " measured rounds after a warm-up (ms; allreduce: one barrier stage of " + rounds + " rounds)");
        System.out.println(String.format(Locale.ROOT, "%-11s %-3s %-10s %-20s %9s %9s %9s %9s %9s %9s %9s %9s",
                "params", "P", "transport", "sync", "broadcast", "compute", "aggregate", "update", "round",
                "MB out", "MB back", "MB peers"));
        rows.forEach(System.out::println);
        // Spark's BarrierTaskContext starts a non-daemon Timer thread in this JVM (local mode) that never ends
        System.exit(0);
    }

    private static final TaskTimes TASKS = new TaskTimes();

    /** Per round, the slowest task's result serialization time (Spark task metrics), summed over rounds. */
    private static final class TaskTimes extends org.apache.spark.scheduler.SparkListener {
        private final java.util.Map<Integer, Long> maxPerStage = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
            if (end.taskMetrics() != null) {
                maxPerStage.merge(end.stageId(), end.taskMetrics().resultSerializationTime(), Math::max);
            }
        }

        void reset() {
            maxPerStage.clear();
        }

        double maxResultSerializationMs() {
            return maxPerStage.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static String measure(JavaSparkContext sc, JavaRDD<Shard<Long>> shards, int n, SyncMode mode,
                                  Transport transport, int partitions, int rounds) {
        EngineConfig config = EngineConfig.defaults().withSync(mode, 1).withRounds(2 * rounds + 1).withBatchSize(16)
                .withTransport(transport, rounds);
        TrainingEngine<Long> engine = new TrainingEngine<>(sc, new QuadraticBenchModel(n), Adam.adam(1e-3), config,
                StatisticSet.empty(), 1L, RunMetrics.detached());
        TrainingState state = engine.initialState();
        List<RoundSummary> measured = new ArrayList<>();
        if (transport == Transport.DRIVER) {
            engine.runRound(shards, state);
            for (int r = 0; r < rounds; r++) {
                measured.add(engine.runRound(shards, state));
            }
        } else {
            engine.runStage(shards, state, 1);
            measured.addAll(engine.runStage(shards, state, rounds));
        }
        String[] phases = {"broadcast", "compute", "aggregate", "update", "round"};
        double[] sums = new double[phases.length];
        double sent = 0;
        double received = 0;
        double peers = 0;
        for (RoundSummary s : measured) {
            for (int k = 0; k < phases.length; k++) {
                sums[k] += s.timingsMs().getOrDefault(phases[k], 0.0);
            }
            sent += s.timingsMs().getOrDefault("driverMBSent", 0.0);
            received += s.timingsMs().getOrDefault("driverMBReceived", 0.0);
            peers += s.timingsMs().getOrDefault("peerMB", 0.0);
        }
        boolean pa = mode == SyncMode.PARAMETER_AVERAGING;
        if (transport == Transport.DRIVER) {
            double mb = n * 4.0 / 1e6;
            sent = rounds * (pa ? 3 * mb : mb);
            received = rounds * partitions * (pa ? 3 * mb : mb);
        }
        return String.format(Locale.ROOT, "%-11s %-3d %-10s %-20s %9.1f %9.1f %9.1f %9.1f %9.1f %9.2f %9.2f %9.1f",
                String.format(Locale.ROOT, "%,d", n), partitions, transport.configName(), mode.configName(),
                sums[0] / rounds, sums[1] / rounds, sums[2] / rounds, sums[3] / rounds, sums[4] / rounds,
                sent / rounds, received / rounds, peers / rounds);
    }
}
