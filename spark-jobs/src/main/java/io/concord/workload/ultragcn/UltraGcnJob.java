package io.concord.workload.ultragcn;

import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;

import io.concord.workload.recsys.RankingEvaluator;
import io.concord.workload.recsys.RankingEvalSection;
import io.concord.workload.recsys.GraphTables;
import io.concord.workload.recsys.GraphLoader;
import io.concord.workload.source.InteractionSource;
import io.concord.workload.source.InteractionTables;
import io.concord.core.metric.RankingResult;
import io.concord.core.optim.Optimizer;
import io.concord.core.ultragcn.DegreeWeights;
import io.concord.core.ultragcn.Interaction;
import io.concord.core.ultragcn.InteractionGraph;
import io.concord.core.ultragcn.ItemNeighbours;
import io.concord.core.ultragcn.NegativeTermKernel;
import io.concord.core.ultragcn.UltraGcnModel;
import io.concord.core.ultragcn.UltraGcnObjective;
import io.concord.engine.EngineConfig;
import io.concord.engine.RoundListener;
import io.concord.engine.Shard;
import io.concord.engine.StatisticSet;
import io.concord.engine.metrics.RunMetrics;
import io.concord.job.Components;
import io.concord.job.EvalSection;
import io.concord.job.EvaluationListener;
import io.concord.job.Job;
import io.concord.job.JobContext;
import io.concord.job.JobResult;
import io.concord.job.LrOnPlateau;
import io.concord.job.MultiStepLr;
import io.concord.job.TrainingRun;
import io.concord.engine.checkpoint.FloatArrays;
import io.concord.model.FactorModel;
import io.concord.model.ModelManifest.ModelFile;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ultragcn}: UltraGCN (Mao et al., CIKM 2021) on a user–item graph, trained through the Concord engine.
 *
 * <p>Distribution: the train positives are sharded over the executors (one shard per partition, cached); the β
 * degree tables and the item–item neighbour table are built once by Spark jobs ({@link GraphTables}) and shipped
 * inside the model, which the engine broadcasts once per run with the rest of its per-run bundle; each round it
 * broadcasts the embedding tables (and, in parameter averaging, the Adam state), every partition samples its
 * negatives from its own deterministic stream and computes its minibatch, and one ordered reduce brings back the summed gradient
 * (global-batch: the driver makes one Adam step) or the averaged parameters (parameter-averaging: each partition
 * makes {@code train.localSteps} Adam steps between averagings). Evaluation is distributed over user blocks
 * ({@link RankingEvaluator}) on the epoch schedule of the {@code eval} section, with early stopping on the chosen
 * metric; the reported metrics are those of the best evaluation (the official protocol), {@code final.*} those of
 * the last.
 */
public final class UltraGcnJob implements Job<UltraGcnConfig> {

    @Override
    public String name() {
        return "ultragcn";
    }

    @Override
    public String description() {
        return "UltraGCN recommendation (LightGCN split files, edge lists or generated graphs), full-ranking eval";
    }

    @Override
    public Class<UltraGcnConfig> configType() {
        return UltraGcnConfig.class;
    }

    @Override
    public void validate(UltraGcnConfig config) {
        Components.optimizer(config.optimizer());
    }

    @Override
    public Map<String, String> derivedKeys(UltraGcnConfig config) {
        Map<String, String> derived = new LinkedHashMap<>();
        if (config.epochs() != null) {
            derived.put("train.rounds", "epochs x rounds per epoch = " + config.epochs() + " x ceil(train positives"
                    + " / (partitions x train.batchSize x steps per round)), known once the graph is read");
        }
        if (config.recipe().equals(UltraGcnConfig.FAST)) {
            derived.put("ultragcn.negative_num", "recipe fast: max(min(R, 50), ceil(R / 5)) of the configured R");
            derived.put("train.batchSize", "recipe fast: x2 while an epoch keeps >= 64 steps, at most x4, known"
                    + " once the graph is read; ultragcn.gamma scaled by the same factor");
            derived.put("ultragcn.start", "recipe fast: popularity");
            derived.put("optimizer.lr", "recipe fast: max(" + FastRecipe.WARM_LR + ", the configured rate), then x0.1"
                    + " per phase down to the configured rate, each phase ending on a plateau of eval.metric");
            derived.put("eval.every", "recipe fast: 1 (eval.official ignored)");
        }
        if (config.checkpointEpochs() != null && config.checkpointEpochs() > 0) {
            derived.put("train.checkpointEvery", "checkpointEpochs x rounds per epoch = " + config.checkpointEpochs()
                    + " x rounds per epoch, known once the graph is read");
        }
        return derived;
    }

    @Override
    public void checkInputs(UltraGcnConfig config, Configuration hadoopConf) {
        GraphLoader.checkExists(config.data(), hadoopConf);
    }

    @Override
    public JobResult run(UltraGcnConfig config, JobContext ctx) {
        JavaSparkContext sc = ctx.jsc();
        long t0 = System.nanoTime();
        InteractionTables.Loaded loaded;
        try (RunMetrics.Phase reading = ctx.metrics().phase("reading the graph")) {
            loaded = InteractionSource.load(config.data(), config.seed(), ctx);
        }
        InteractionGraph graph = loaded.graph();
        loaded.writeIdMaps(ctx.runDir(), ctx.hadoopConf());
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        ctx.console().printf("graph: %s from %s (read in %.1f s)%n", graph, config.data().describe(), loadSeconds);

        EngineConfig train = config.train();
        int partitions = train.partitions() > 0 ? train.partitions() : sc.defaultParallelism();
        train = train.withPartitions(partitions);
        JavaRDD<Interaction> pairs = sc.parallelize(graph.trainInteractions(), partitions);
        JavaRDD<Shard<Interaction>> shards = TrainingRun.shard(ctx, pairs, train, config.seed(),
                config.data().describe());
        JavaRDD<Interaction> positives = shards.flatMap(s -> s.records().iterator());

        long t1 = System.nanoTime();
        UltraGcnObjective objective = config.ultragcn().objective();
        RankingEvalSection eval = config.eval();
        FastRecipe recipe = null;
        if (config.recipe().equals(UltraGcnConfig.FAST)) {
            if (train.batchSize() < 1) {
                throw new ConfigException("recipe", "fast needs a minibatch (train.batchSize >= 1)");
            }
            double officialLr = ((Number) config.optimizer().params().get("lr")).doubleValue();
            recipe = FastRecipe.derive(objective, officialLr, (long) partitions * train.batchSize(),
                    graph.trainSize());
            objective = recipe.apply(objective);
            train = train.withBatchSize(train.batchSize() * recipe.batchScale());
            eval = new RankingEvalSection(1, false, eval.k(), eval.metric(), eval.patience(), eval.averaging(),
                    eval.userBlock());
            ctx.console().println(recipe.describe());
        }
        if (objective.lambda() > 0 && objective.iiNeighborNum() > graph.numItems()) {
            throw new ConfigException("ultragcn.ii_neighbor_num", objective.iiNeighborNum(), "at most the number of "
                    + "items, " + graph.numItems() + " in " + config.data().describe());
        }
        int[][] degrees;
        ItemNeighbours neighbours = ItemNeighbours.none(graph.numItems());
        try (RunMetrics.Phase tables = ctx.metrics().phase("building the degree and item-neighbour tables")) {
            degrees = GraphTables.degrees(positives, graph.numUsers(), graph.numItems(), train.aggregationDepth());
            if (objective.lambda() > 0 && objective.iiNeighborNum() > 0) {
                double[] rowSums = GraphTables.coOccurrenceRowSums(sc, positives, degrees[0], graph.numItems(),
                        train.aggregationDepth());
                neighbours = GraphTables.neighbourTable(sc, graph.train(), rowSums, objective.iiNeighborNum());
            }
        }
        double tablesSeconds = (System.nanoTime() - t1) / 1e9;
        UltraGcnModel model = new UltraGcnModel(graph.numUsers(), graph.numItems(), objective,
                DegreeWeights.fromDegrees(degrees[0], degrees[1]), neighbours,
                objective.samplingSiftPos() ? graph.train() : null);
        if (recipe != null || ObjectiveSection.POPULARITY.equals(config.ultragcn().start())) {
            model = model.startingAtPopularity(graph.train());
        }
        Optimizer optimizer;
        if (recipe == null) {
            optimizer = Components.optimizer(config.optimizer());
        } else {
            Map<String, Object> warm = new LinkedHashMap<>(config.optimizer().params());
            warm.put("lr", recipe.learningRates()[0]);
            ComponentSpec warmSpec = ComponentSpec.of(config.optimizer().name(), warm);
            optimizer = MultiStepLr.undecided(warmSpec, Components.optimizer(warmSpec), "recipe",
                    recipe.learningRates(), train);
        }

        long examplesPerRound = (long) partitions * train.stepsPerRound()
                * (train.batchSize() == 0 ? Math.max(1, graph.trainSize() / partitions) : train.batchSize());
        int roundsPerEpoch = (int) Math.max(1, (graph.trainSize() + examplesPerRound - 1) / examplesPerRound);
        if (config.epochs() != null) {
            long rounds = (long) config.epochs() * roundsPerEpoch;
            if (rounds > Integer.MAX_VALUE) {
                throw new ConfigException("epochs", config.epochs(), "fewer epochs: "
                        + rounds + " rounds do not fit an int");
            }
            train = train.withRounds((int) rounds);
        }
        if (config.checkpointEpochs() != null && config.checkpointEpochs() > 0) {
            train = train.withCheckpointEvery((int) Math.min(Integer.MAX_VALUE,
                    (long) config.checkpointEpochs() * roundsPerEpoch));
        }
        if (recipe == null) {
            optimizer = scheduled(config, optimizer, train, roundsPerEpoch);
        }
        ctx.console().printf("tables: degrees and %d-nearest item neighbours in %.1f s; %d parameters; %d partitions"
                        + " × batch %d × %d step(s) per round (%s): %d rounds per epoch, %d rounds; negative"
                        + " kernel: %s%n", objective.iiNeighborNum(), tablesSeconds, model.numParams(), partitions,
                train.batchSize(), train.stepsPerRound(), train.sync().toString(), roundsPerEpoch, train.rounds(),
                NegativeTermKernel.describe());

        try (RankingEvaluator evaluator = new RankingEvaluator(sc, graph, eval)) {
            final int itemBase = model.itemOffset(0);
            final int dim = model.dim();
            EvaluationListener evaluation = new EvaluationListener(
                    (params, round) -> RankingEvaluator.metrics(evaluator.evaluate(params, 0, params, itemBase,
                            dim)),
                    new EvalSection(roundsPerEpoch, eval.metric(), "max", eval.patience()), eval.metric(),
                    train.rounds(), ctx.runDir());
            EpochEvaluation schedule = new EpochEvaluation(evaluation, eval, roundsPerEpoch, train.rounds(),
                    config.maxTrainMinutes() * 60.0, ctx.console(), ctx.runDir());
            RoundListener listener = schedule;
            if (recipe != null) {
                double popularity = RankingEvaluator.metrics(evaluator.evaluate(popularityUsers(graph), 0,
                        popularityItems(degrees[1]), 0, 1)).get(evaluation.metric());
                double floor = FastRecipe.POPULARITY_MARGIN * popularity;
                ctx.console().printf(Locale.ROOT, "popularity ranking: %s %.5f (learning-rate phases end only"
                        + " above %.5f)%n", evaluation.metric(), popularity, floor);
                listener = new LrOnPlateau(schedule, (MultiStepLr) optimizer, recipe.learningRates(),
                        evaluation.metric(), FastRecipe.PHASE_PATIENCE, FastRecipe.FINAL_PATIENCE, floor,
                        train.stepsPerRound(), ctx.console());
            }
            TrainingRun.Outcome<Interaction> outcome = TrainingRun.train(ctx, model, optimizer, train,
                    config.seed(), StatisticSet.empty(), shards, listener);
            schedule.write();

            Map<String, Double> metrics = new LinkedHashMap<>(evaluation.bestMetrics());
            evaluation.lastMetrics().forEach((k, v) -> metrics.put("final." + k, v));
            int bestRound = EvaluationListener.bestRound(outcome.state());
            int epochsRun = schedule.epochOf(outcome.state().nextRound() - 1) + 1;
            metrics.put("bestEpoch", bestRound < 0 ? -1.0 : schedule.epochOf(bestRound));
            metrics.put("epochs", (double) epochsRun);
            double trainSeconds = EpochEvaluation.trainSeconds(outcome.state());
            metrics.put("trainSeconds", trainSeconds);
            metrics.put("secondsPerEpoch", outcome.state().nextRound() == 0 ? Double.NaN
                    : trainSeconds * roundsPerEpoch / outcome.state().nextRound());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("users", graph.numUsers());
            details.put("items", graph.numItems());
            details.put("trainInteractions", graph.trainSize());
            details.put("testInteractions", graph.testSize());
            details.put("numParams", model.numParams());
            details.put("partitions", partitions);
            details.put("roundsPerEpoch", roundsPerEpoch);
            details.put("tablesSeconds", tablesSeconds);
            details.put("source", config.data().describe());
            if (recipe != null) {
                details.put("recipe", Map.of("name", UltraGcnConfig.FAST, "negative_num", recipe.negativeNum(),
                        "batchScale", recipe.batchScale(), "gamma", recipe.gamma(), "learningRates",
                        Arrays.stream(recipe.learningRates()).boxed().toList(), "lastPhase",
                        LrOnPlateau.phase(outcome.state())));
            }
            writeModel(ctx, graph, model, outcome.state().params(), bestRound, schedule, eval);
            shards.unpersist(false);
            return new JobResult(outcome.state().nextRound(), outcome.finalLoss(), metrics, details);
        }
    }

    /**
     * The portable model ({@link FactorModel}): the factors of the best evaluation ({@code model/best-params.bin},
     * whose metrics the summary reports), or the last parameters when nothing was evaluated.
     */
    private static void writeModel(JobContext ctx, InteractionGraph graph, UltraGcnModel model, float[] last,
                                   int bestRound, EpochEvaluation schedule, RankingEvalSection eval) {
        Path best = ctx.runDir().staged("model/best-params.bin");
        float[] params = last;
        try {
            if (bestRound >= 0 && ctx.runDir().fs().exists(best)) {
                try (InputStream in = ctx.runDir().fs().open(best)) {
                    params = FloatArrays.read(in, best.toString());
                }
            }
        } catch (IOException e) {
            throw new RunDirectory.OutputException("reading " + best + " failed: " + e.getMessage(), e);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("factorsFrom", params == last ? "params.bin" : "best-params.bin");
        details.put("bestEpoch", bestRound < 0 ? -1 : schedule.epochOf(bestRound));
        details.put("eval", Map.of("k", eval.k(), "averaging", eval.averaging(), "userBlock", eval.userBlock()));
        FactorModel.write(ctx, params, 0, params, model.itemOffset(0), graph.numUsers(), graph.numItems(),
                model.dim(), graph.train(), List.of(
                        new ModelFile("params.bin", "concord-float-array", "last parameters (checkpoint format): "
                                + "users × dim then items × dim, row-major"),
                        new ModelFile("best-params.bin", "concord-float-array", "parameters of the best "
                                + "evaluation, same layout")), details);
    }

    /** Every user's one-dimensional "embedding" of the popularity ranking: 1. */
    private static float[] popularityUsers(InteractionGraph graph) {
        float[] users = new float[graph.numUsers()];
        Arrays.fill(users, 1f);
        return users;
    }

    /** Every item's score in the popularity ranking: its train degree. */
    private static float[] popularityItems(int[] itemDegrees) {
        float[] items = new float[itemDegrees.length];
        for (int i = 0; i < items.length; i++) {
            items[i] = itemDegrees[i];
        }
        return items;
    }

    /** The optimizer with {@code lrSchedule} applied, milestones converted from epochs to the engine's steps. */
    static Optimizer scheduled(UltraGcnConfig config, Optimizer base, EngineConfig train, int roundsPerEpoch) {
        UltraGcnConfig.LrSchedule schedule = config.lrSchedule();
        if (schedule == null) {
            return base;
        }
        long stepsPerEpoch = (long) roundsPerEpoch * train.stepsPerRound();
        long[] decaySteps = schedule.milestones().stream().mapToLong(epoch -> epoch * stepsPerEpoch).toArray();
        return MultiStepLr.of(config.optimizer(), base, "lrSchedule", schedule.factor(), decaySteps, train);
    }

    /** Evaluates a trained parameter vector of this job (e.g. {@code model/best-params.bin}) on a graph. */
    public static RankingResult evaluate(JavaSparkContext sc, InteractionGraph graph, RankingEvalSection eval,
                                         float[] params, int dim) {
        try (RankingEvaluator evaluator = new RankingEvaluator(sc, graph, eval)) {
            return evaluator.evaluate(params, 0, params, graph.numUsers() * dim, dim);
        }
    }

}
