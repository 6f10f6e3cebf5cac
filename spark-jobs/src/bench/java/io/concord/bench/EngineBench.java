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
 * Per-round time split of the engine (broadcast, compute, aggregate, driver update) for parameter vectors of
 * 1M, 10M and 50M floats on local[2], for both sync modes, with Adam (parameter averaging ships and averages its
 * state too). Run by {@code scripts/bench-engine}; prints one table.
 */
public final class EngineBench {

    private EngineBench() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length > 0 ? java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt)
                .toArray() : new int[] {1_000_000, 10_000_000, 50_000_000};
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String master = args.length > 2 ? args[2] : "local[2]";
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
            JavaRDD<Shard<Long>> shards = Sharding.shard(
                    sc.parallelize(LongStream.range(0, 64).boxed().toList(), 2), 2, 1L,
                    StorageLevel.MEMORY_AND_DISK_SER());
            Sharding.sizes(shards);
            for (int n : sizes) {
                for (SyncMode mode : SyncMode.values()) {
                    rows.add(measure(sc, shards, n, mode, rounds));
                    System.gc();
                }
            }
        }
        System.out.println();
        System.out.println("Concord engine per-round time split, " + master + ", Adam, 2 partitions, "
                + "mean of the measured rounds after 1 warm-up round (ms)");
        System.out.println(String.format(Locale.ROOT, "%-11s %-20s %10s %10s %10s %10s %10s %10s %10s %12s",
                "params", "sync", "broadcast", "compute", "aggregate", "update", "round", "MB out", "MB back",
                "of which ser"));
        rows.forEach(System.out::println);
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
                                  int rounds) {
        EngineConfig config = EngineConfig.defaults().withSync(mode, 1).withRounds(rounds + 1).withBatchSize(16);
        TrainingEngine<Long> engine = new TrainingEngine<>(sc, new QuadraticBenchModel(n), Adam.adam(1e-3), config,
                StatisticSet.empty(), 1L, RunMetrics.detached());
        TrainingState state = engine.initialState();
        engine.runRound(shards, state);
        TASKS.reset();
        double[] sums = new double[5];
        String[] phases = {"broadcast", "compute", "aggregate", "update", "round"};
        for (int r = 0; r < rounds; r++) {
            RoundSummary s = engine.runRound(shards, state);
            for (int k = 0; k < phases.length; k++) {
                sums[k] += s.timingsMs().get(phases[k]);
            }
        }
        double mb = n * 4.0 / (1 << 20);
        boolean pa = mode == SyncMode.PARAMETER_AVERAGING;
        double out = pa ? 3 * mb : mb;
        double back = 2 * (pa ? 3 * mb : mb);
        return String.format(Locale.ROOT, "%-11s %-20s %10.1f %10.1f %10.1f %10.1f %10.1f %10.0f %10.0f %12.1f",
                String.format(Locale.ROOT, "%,d", n), mode.configName(), sums[0] / rounds, sums[1] / rounds,
                sums[2] / rounds, sums[3] / rounds, sums[4] / rounds, out, back,
                TASKS.maxResultSerializationMs() / rounds);
    }
}
