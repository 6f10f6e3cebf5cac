package io.concord.workload.calib;

import io.concord.config.ComponentSpec;
import io.concord.core.calib.CalibMae;
import io.concord.core.calib.CalibNetConfig;
import io.concord.core.calib.CalibParam;
import io.concord.core.calib.ParamScaling;
import io.concord.core.calib.UgclLossConfig;
import io.concord.core.calib.UgclTerm;
import io.concord.core.model.dl4j.Dl4jNetworkModel;
import io.concord.core.optim.Optimizer;
import io.concord.data.calib.StereoPair;
import io.concord.data.calib.StereoPairBatches;
import io.concord.engine.EngineConfig;
import io.concord.engine.RoundListener;
import io.concord.engine.Shard;
import io.concord.engine.Sharding;
import io.concord.engine.StatisticSet;
import io.concord.engine.SyncMode;
import io.concord.engine.TrainingEngine;
import io.concord.engine.TrainingState;
import io.concord.engine.metrics.RunMetrics;
import io.concord.job.Components;
import io.concord.job.ConcordSpark;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.stats.EventStats;
import org.deeplearning4j.spark.time.SystemClockTimeSource;
import org.deeplearning4j.spark.time.TimeSourceProvider;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code scripts/bench-calibration}: on one generated, seeded train/test split of stereo pairs,
 * <ol>
 *   <li>Table 1 — held-out MAE per parameter of the median predictor, supervised-only and supervised + UGCL, trained
 *       through the Concord engine (parameter averaging) with equal budgets: same seeds, initialisation, shards,
 *       batch order, rounds and optimizer (Adam, ×0.1 step decay after 75% of the steps), per seed and mean;</li>
 *   <li>Table 2 — the same network and loss (supervised + UGCL), data, partitions, batch per worker, averaging
 *       frequency, initial parameters and optimizer (Adam, constant rate, averaged state) trained by the Concord
 *       engine and by DL4J's own {@link ParameterAveragingTrainingMaster}, epoch by epoch alternately in one Spark
 *       context: examples/s and held-out MAE, plus where each spends its time.</li>
 * </ol>
 * Arguments {@code key=value}; see {@link Options}. Prints both tables and writes them to {@code out/tables.md}.
 */
public final class CalibrationBench {

    /**
     * @param train      training pairs
     * @param test       held-out pairs
     * @param size       image width = height, pixels
     * @param dataSeed   generator seed
     * @param seeds      engine seeds of Table 1 (initialisation and batch order)
     * @param epochs     Table 1 budget, epochs over the training pairs
     * @param cmpEpochs  Table 2 budget
     * @param cmpSeed    Table 2 seed
     * @param partitions partitions = DL4J workers
     * @param batch      pairs per partition per local step = DL4J batch size per worker
     * @param localSteps local steps per round = DL4J averaging frequency
     * @param lr         Adam learning rate
     * @param ugcl       weight of every UGCL constraint term
     * @param out        directory for the generated shards (reused across runs) and the tables
     * @param master     Spark master
     * @param tables     which tables to run ("1", "2" or "1,2")
     */
    record Options(int train, int test, int size, long dataSeed, List<Long> seeds, int epochs, int cmpEpochs,
                   long cmpSeed, int partitions, int batch, int localSteps, double lr, double ugcl, String out,
                   String master, String tables) {

        static Options parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>();
            for (String arg : args) {
                String[] kv = arg.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
                }
                a.put(kv[0], kv[1]);
            }
            Options o = new Options(Integer.parseInt(a.getOrDefault("train", "2000")),
                    Integer.parseInt(a.getOrDefault("test", "400")), Integer.parseInt(a.getOrDefault("size", "64")),
                    Long.parseLong(a.getOrDefault("dataSeed", "7")),
                    Arrays.stream(a.getOrDefault("seeds", "1,2").split(",")).map(String::trim).map(Long::parseLong)
                            .toList(),
                    Integer.parseInt(a.getOrDefault("epochs", "4")), Integer.parseInt(a.getOrDefault("cmpEpochs", "3")),
                    Long.parseLong(a.getOrDefault("cmpSeed", "1")),
                    Integer.parseInt(a.getOrDefault("partitions", "2")),
                    Integer.parseInt(a.getOrDefault("batch", "16")),
                    Integer.parseInt(a.getOrDefault("localSteps", "4")),
                    Double.parseDouble(a.getOrDefault("lr", "0.001")), Double.parseDouble(a.getOrDefault("ugcl",
                    "1.0")), a.getOrDefault("out", "target/bench-calibration"), a.getOrDefault("master", "local[2]"),
                    a.getOrDefault("tables", "1,2"));
            for (String k : a.keySet()) {
                if (!List.of("train", "test", "size", "dataSeed", "seeds", "epochs", "cmpEpochs", "cmpSeed",
                        "partitions", "batch", "localSteps", "lr", "ugcl", "out", "master", "tables").contains(k)) {
                    throw new IllegalArgumentException("unknown option '" + k + "'");
                }
            }
            return o;
        }

        /** Rounds for {@code e} epochs: every round consumes partitions × batch × localSteps pairs. */
        int rounds(int e) {
            return (int) Math.round((double) e * train / ((long) partitions * batch * localSteps));
        }

        EngineConfig engine(int rounds) {
            return EngineConfig.defaults().withSync(SyncMode.PARAMETER_AVERAGING, localSteps).withRounds(rounds)
                    .withPartitions(partitions).withBatchSize(batch);
        }
    }

    /** One trained model: held-out MAE, examples trained on, seconds (sharding or export included). */
    record Result(String name, double[] mae, long examples, double seconds, String profile) {
        double examplesPerSecond() {
            return examples / seconds;
        }
    }

    private final Options o;
    private final PrintStream out;
    private final StringBuilder report = new StringBuilder();

    private CalibrationBench(Options o, PrintStream out) {
        this.o = o;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        new CalibrationBench(Options.parse(args), System.out).run();
    }

    private void run() throws IOException {
        long started = System.nanoTime();
        say(String.format(Locale.ROOT, "bench-calibration: %s; %d train + %d test pairs of %dx%d (data seed %d), "
                        + "%d partitions x batch %d x %d local steps, Adam lr %g, UGCL weight %g",
                o.master, o.train, o.test, o.size, o.size, o.dataSeed, o.partitions, o.batch, o.localSteps, o.lr,
                o.ugcl));
        Path root = new Path(new java.io.File(o.out).getAbsoluteFile().toURI().toString(), String.format(Locale.ROOT,
                "data-%dpx-%d-%d-s%d", o.size, o.train, o.test, o.dataSeed));
        JavaSparkContext sc = new JavaSparkContext(ConcordSpark.conf(o.master, "bench-calibration",
                Map.of("spark.ui.enabled", "false")));
        ParamScaling scaling;
        double[] median;
        try {
            CalibData.generate(sc, generator(root), root, out);
            CalibData data = CalibData.read(sc, CalibData.train(root), CalibData.test(root), root.toString());
            scaling = ParamScaling.fit(data.trainLabels());
            median = CalibMae.ofMedian(data.trainLabels(), data.testLabels());
            if (o.tables.contains("1")) {
                JavaRDD<StereoPair> test = data.test().persist(StorageLevel.MEMORY_AND_DISK_SER());
                tableOne(sc, data.train(), test, scaling, median);
                test.unpersist(false);
            }
        } finally {
            sc.stop();
        }
        if (o.tables.contains("2")) {
            tableTwo(root, model(scaling, ugclLoss(), o.cmpSeed), median);
        }
        say(String.format(Locale.ROOT, "%nbench-calibration: done in %.0f s; load average now %s",
                (System.nanoTime() - started) / 1e9, loadAverage()));
        java.nio.file.Path tables = java.nio.file.Path.of(o.out, "tables.md");
        Files.writeString(tables, report.toString(), StandardCharsets.UTF_8);
        out.println("tables written to " + tables.toAbsolutePath());
    }

    private CalibJobConfig.Generate generator(Path root) {
        return new CalibJobConfig.Generate(root.toString(), o.dataSeed, o.train, o.test, 250, o.size, o.size, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private CalibModel model(ParamScaling scaling, UgclLossConfig loss, long seed) {
        CalibNetConfig net = new CalibNetConfig(o.size, o.size, 3, CalibNetConfig.Fusion.STACKED,
                new int[] {16, 32, 64, 64}, 128, DataType.FLOAT, o.lr, seed);
        return CalibModel.of(net, loss, scaling);
    }

    private UgclLossConfig ugclLoss() {
        return UgclLossConfig.withConstraints(o.size, o.size, o.ugcl).withWeight(UgclTerm.ROTATION, 0.0);
    }

    private ComponentSpec adam() {
        return ComponentSpec.of("adam", Map.of("lr", o.lr));
    }

    // ---------------------------------------------------------------- Table 1

    private void tableOne(JavaSparkContext sc, JavaRDD<StereoPair> train, JavaRDD<StereoPair> test,
                          ParamScaling scaling, double[] median) {
        int rounds = o.rounds(o.epochs);
        say(String.format(Locale.ROOT, "%nTable 1 runs: %d rounds (%d epochs) per run, Adam lr %g decayed x0.1 after "
                + "75%% of the steps, seeds %s", rounds, o.epochs, o.lr, o.seeds));
        Map<String, double[]> rows = new LinkedHashMap<>();
        rows.put("median", median);
        Map<String, List<double[]>> byVariant = new LinkedHashMap<>();
        for (long seed : o.seeds) {
            for (boolean constrained : new boolean[] {false, true}) {
                String variant = constrained ? "sup+UGCL" : "supervised";
                UgclLossConfig loss = constrained ? ugclLoss() : UgclLossConfig.supervisedOnly(o.size, o.size);
                Optimizer optimizer = StepDecay.of(adam(), new CalibJobConfig.LrDecay(0.75, 0.1), o.engine(rounds));
                Result r = concord(sc, train, test, model(scaling, loss, seed), median, optimizer, seed, o.epochs,
                        variant + " s" + seed);
                rows.put(variant + " s" + seed, r.mae());
                byVariant.computeIfAbsent(variant, k -> new ArrayList<>()).add(r.mae());
            }
        }
        if (o.seeds.size() > 1) {
            byVariant.forEach((variant, maes) -> rows.put(variant + " mean", mean(maes)));
        }
        say(String.format(Locale.ROOT, "%nTable 1. Held-out MAE per parameter (%d test pairs, physical units), equal "
                + "budgets: %d rounds of %d partitions x %d local Adam steps x %d pairs (%d epochs), lr %g x0.1 after "
                + "75%%; data seed %d, seeds %s. rel = mean of MAE/median-MAE over the parameters the median does not "
                + "predict exactly.%n", o.test, rounds, o.partitions, o.localSteps, o.batch, o.epochs, o.lr,
                o.dataSeed, o.seeds));
        say(markdown(rows, median));
    }

    private static double[] mean(List<double[]> rows) {
        double[] m = new double[rows.get(0).length];
        for (double[] r : rows) {
            for (int k = 0; k < m.length; k++) {
                m[k] += r[k] / rows.size();
            }
        }
        return m;
    }

    // ---------------------------------------------------------------- Concord

    private Result concord(JavaSparkContext sc, JavaRDD<StereoPair> train, JavaRDD<StereoPair> test, CalibModel model,
                           double[] median, Optimizer optimizer, long seed, int epochs, String name) {
        EngineConfig config = o.engine(o.rounds(epochs));
        long t0 = System.nanoTime();
        JavaRDD<Shard<StereoPair>> shards = Sharding.shard(train, o.partitions, seed,
                StorageLevel.fromString(config.storageLevel()));
        Sharding.sizes(shards);
        long t1 = System.nanoTime();
        TrainingEngine<StereoPair> engine = new TrainingEngine<>(sc, model.model(), optimizer, config,
                StatisticSet.empty(), seed, RunMetrics.detached());
        TrainingState state = engine.initialState();
        RoundTimings timings = new RoundTimings();
        engine.train(shards, state, timings, null);
        long t2 = System.nanoTime();
        double[] mae = new CalibEvaluator(sc, model, test, median).mae(state.params());
        shards.unpersist(false);
        double seconds = (t2 - t0) / 1e9;
        String profile = String.format(Locale.ROOT, "sharding %.1f s; %s", (t1 - t0) / 1e9, timings);
        say(String.format(Locale.ROOT, "  %-28s %6d examples in %6.1f s = %6.1f ex/s, rel MAE %.4f, fx %.3f px, "
                + "theta %.4f rad; %s", name, timings.examples, seconds, timings.examples / seconds,
                CalibMae.relativeMean(mae, median), mae[CalibParam.FX.index()], mae[CalibParam.PITCH.index()],
                profile));
        return new Result(name, mae, timings.examples, seconds, profile);
    }

    /** Sums the engine's per-round timings and examples. */
    private static final class RoundTimings implements RoundListener {
        final Map<String, Double> totalMs = new TreeMap<>();
        long examples;
        int rounds;

        @Override
        public Decision afterRound(TrainingState state, io.concord.engine.RoundSummary summary) {
            examples += summary.examples();
            rounds++;
            summary.timingsMs().forEach((k, v) -> totalMs.merge(k, v, Double::sum));
            return Decision.CONTINUE;
        }

        @Override
        public String toString() {
            double round = totalMs.getOrDefault("round", 0.0);
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d rounds, per round:", rounds));
            for (String key : List.of("round", "broadcast", "compute", "aggregate", "update")) {
                sb.append(String.format(Locale.ROOT, " %s %.0f ms", key, totalMs.getOrDefault(key, 0.0) / rounds));
            }
            return sb.append(String.format(Locale.ROOT, " (compute = slowest partition's local steps: %.1f%% of the "
                    + "round)", 100 * totalMs.getOrDefault("compute", 0.0) / round)).toString();
        }
    }

    // ---------------------------------------------------------------- Table 2

    /**
     * Concord and DL4J epoch by epoch, alternating which goes first, in one Spark context that does not require Kryo
     * registration (DL4J ships its configurations and ND4J arrays unregistered; Concord's classes are registered
     * either way, so its serialization is the same as with registration required), so that both see the same
     * background load on a shared machine.
     */
    private void tableTwo(Path root, CalibModel model, double[] median) {
        // DL4J's training statistics default to an NTP clock (network access); the local clock serves one machine.
        System.setProperty(TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY, SystemClockTimeSource.class.getName());
        String loadBefore = loadAverage();
        JavaSparkContext sc = new JavaSparkContext(ConcordSpark.conf(o.master, "bench-calibration-vs-dl4j",
                Map.of("spark.ui.enabled", "false", "spark.kryo.registrationRequired", "false")));
        try {
            SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
            JavaRDD<StereoPair> train = CalibData.read(sc, CalibData.train(root), conf);
            JavaRDD<StereoPair> test = CalibData.read(sc, CalibData.test(root), conf)
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            test.count();

            // Concord: parameter averaging, Adam with averaged state, the engine's own shards.
            EngineConfig config = o.engine(o.rounds(o.cmpEpochs));
            TrainingEngine<StereoPair> engine = new TrainingEngine<>(sc, model.model(),
                    Components.optimizer(adam()), config, StatisticSet.empty(), o.cmpSeed, RunMetrics.detached());
            TrainingState state = engine.initialState();
            RoundTimings timings = new RoundTimings();
            JavaRDD<Shard<StereoPair>> shards = null;

            // DL4J: the same network (its updater: DL4J's Adam, same rate), initial parameters, workers, batch per
            // worker, averaging frequency, updater-state averaging; single-pair MultiDataSets as DL4J expects.
            Dl4jNetworkModel.BatchConverter<StereoPair> converter = StereoPairBatches.converter(model.net().fusion(),
                    model.scaling());
            JavaRDD<MultiDataSet> examples = train.map(p -> converter.convert(List.of(p)));
            ComputationGraph network = new ComputationGraph(model.configuration());
            network.init();
            network.params().assign(Nd4j.createFromArray(state.params()).castTo(network.params().dataType()));
            ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(o.partitions, 1)
                    .batchSizePerWorker(o.batch).averagingFrequency(o.localSteps).saveUpdater(true)
                    .rngSeed(o.cmpSeed).collectTrainingStats(true).build();
            SparkComputationGraph sparkNet = new SparkComputationGraph(sc, network, master);

            double[] concordSeconds = new double[o.cmpEpochs];
            double[] dl4jSeconds = new double[o.cmpEpochs];
            double shardingSeconds = 0;
            for (int e = 0; e < o.cmpEpochs; e++) {
                for (int leg = 0; leg < 2; leg++) {
                    boolean concordLeg = (leg == 0) == (e % 2 == 0);
                    long s = System.nanoTime();
                    if (concordLeg) {
                        if (shards == null) {
                            shards = Sharding.shard(train, o.partitions, o.cmpSeed,
                                    StorageLevel.fromString(config.storageLevel()));
                            Sharding.sizes(shards);
                            shardingSeconds = (System.nanoTime() - s) / 1e9;
                        }
                        int target = o.rounds(e + 1);
                        while (state.nextRound() < target) {
                            timings.afterRound(state, engine.runRound(shards, state));
                        }
                        concordSeconds[e] = (System.nanoTime() - s) / 1e9;
                    } else {
                        sparkNet.fitMultiDataSet(examples);
                        dl4jSeconds[e] = (System.nanoTime() - s) / 1e9;
                    }
                }
                say(String.format(Locale.ROOT, "  epoch %d (%s first): Concord %.1f s, DL4J %.1f s", e + 1,
                        e % 2 == 0 ? "Concord" : "DL4J", concordSeconds[e], dl4jSeconds[e]));
            }
            shards.unpersist(false);
            double[] concordMae = new CalibEvaluator(sc, model, test, median).mae(state.params());
            float[] dl4jParams = sparkNet.getNetwork().params().castTo(DataType.FLOAT).toFloatVector();
            double[] dl4jMae = new CalibEvaluator(sc, model, test, median).mae(dl4jParams);
            Result concord = new Result("Concord engine (parameter averaging)", concordMae, timings.examples,
                    sum(concordSeconds), String.format(Locale.ROOT, "epochs %s s (sharding %.1f s in the first); %s",
                    seconds(concordSeconds), shardingSeconds, timings));
            Result dl4j = new Result("DL4J ParameterAveragingTrainingMaster", dl4jMae, (long) o.cmpEpochs * o.train,
                    sum(dl4jSeconds), "epochs " + seconds(dl4jSeconds) + " s (export in the first); "
                    + dl4jProfile(sparkNet.getSparkTrainingStats(), o.partitions));
            printTableTwo(concord, dl4j, median, loadBefore);
        } finally {
            sc.stop();
        }
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    private static String seconds(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v)).toList().toString();
    }

    /**
     * DL4J's training statistics, total seconds per event type: the master's events (wall time on the driver) and the
     * workers' events (summed over all workers' events, divided by the number of workers). The top level already
     * holds the nested worker statistics.
     */
    private static String dl4jProfile(SparkTrainingStats stats, int workers) {
        Map<String, Double> master = new LinkedHashMap<>();
        Map<String, Double> worker = new LinkedHashMap<>();
        for (String key : stats.getKeySet()) {
            double total = 0;
            for (EventStats e : stats.getValue(key)) {
                total += e.getDurationMs() / 1000.0;
            }
            String name = key.replaceFirst("^(?i)parameterAveraging", "").replaceFirst("TimesMs$|TimeMs$", "");
            if (key.toLowerCase(Locale.ROOT).contains("master")) {
                master.merge(name.replaceFirst("^Master", ""), total, Double::sum);
            } else {
                worker.merge(name, total / workers, Double::sum);
            }
        }
        return "DL4J stats, master (s):" + top(master) + "; per worker (s):" + top(worker);
    }

    private static String top(Map<String, Double> seconds) {
        StringBuilder sb = new StringBuilder();
        seconds.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> sb.append(String.format(Locale.ROOT, " %s %.1f", e.getKey(), e.getValue())));
        return sb.toString();
    }

    private void printTableTwo(Result concord, Result dl4j, double[] median, String loadBefore) {
        say(String.format(Locale.ROOT, "%nTable 2. Same network, loss (supervised + UGCL, weight %g), data (%d train "
                + "pairs, data seed %d), %d partitions/workers, batch %d per worker, averaging every %d steps, Adam lr "
                + "%g with averaged state, initial parameters (seed %d), %d epochs; run epoch by epoch alternately in "
                + "one Spark context on %s (load average before: %s). Time: Concord including its sharding, DL4J "
                + "including its export; evaluation excluded.%n", o.ugcl, o.train, o.dataSeed, o.partitions, o.batch,
                o.localSteps, o.lr, o.cmpSeed, o.cmpEpochs, o.master, loadBefore));
        StringBuilder sb = new StringBuilder("| engine | examples | seconds | examples/s | rel MAE | fx [px] | "
                + "theta [rad] | d [px] |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : List.of(concord, dl4j)) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.4f | %.3f | %.4f | %.3f |%n", r.name(),
                    r.examples(), r.seconds(), r.examplesPerSecond(), CalibMae.relativeMean(r.mae(), median),
                    r.mae()[CalibParam.FX.index()], r.mae()[CalibParam.PITCH.index()],
                    r.mae()[CalibParam.DISPARITY.index()]));
        }
        say(sb.toString());
        say(String.format(Locale.ROOT, "Concord / DL4J throughput: %.2fx (goal >= 1.5x); rel MAE %.4f vs %.4f%n",
                concord.examplesPerSecond() / dl4j.examplesPerSecond(), CalibMae.relativeMean(concord.mae(), median),
                CalibMae.relativeMean(dl4j.mae(), median)));
        say("Where the time goes:\n  Concord: " + concord.profile() + "\n  DL4J:    " + dl4j.profile() + "\n");
    }

    // ---------------------------------------------------------------- output

    private static String markdown(Map<String, double[]> rows, double[] median) {
        StringBuilder sb = new StringBuilder("| |");
        for (CalibParam p : CalibParam.values()) {
            sb.append(' ').append(p.key()).append(" [").append(p.unit()).append("] |");
        }
        sb.append(" rel |\n|---|").append("---:|".repeat(CalibParam.COUNT + 1)).append('\n');
        for (Map.Entry<String, double[]> row : rows.entrySet()) {
            sb.append("| ").append(row.getKey()).append(" |");
            for (double v : row.getValue()) {
                sb.append(String.format(Locale.ROOT, " %.4f |", v));
            }
            sb.append(String.format(Locale.ROOT, " %.4f |%n", CalibMae.relativeMean(row.getValue(), median)));
        }
        return sb.toString();
    }

    private void say(String text) {
        out.println(text);
        out.flush();
        report.append(text).append('\n');
    }

    private static String loadAverage() {
        try {
            return Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }
}
