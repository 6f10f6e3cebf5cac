package io.concord.workload.logreg;

import io.concord.core.model.LabeledVector;
import io.concord.core.model.LinearClassifier;
import io.concord.core.model.Model;
import io.concord.core.model.dl4j.Dl4jNetworkModel;
import io.concord.core.model.dl4j.LabeledVectorBatches;
import io.concord.core.optim.LinearSoftmaxCurvature;
import io.concord.core.optim.MatrixBlock;
import io.concord.core.optim.Optimizer;
import io.concord.data.DataException;
import io.concord.data.io.InputFiles;
import io.concord.data.io.ReadOptions;
import io.concord.data.synthetic.GaussianClasses;
import io.concord.data.vector.LabeledVectorCsv;
import io.concord.workload.source.TableSource;
import io.concord.workload.source.VectorColumns;
import io.concord.workload.source.VectorTables;
import io.concord.engine.Shard;
import io.concord.engine.StatisticSet;
import io.concord.job.Components;
import io.concord.job.EvaluationListener;
import io.concord.job.Job;
import io.concord.job.JobContext;
import io.concord.model.LinearWeights;
import io.concord.model.NetworkZip;
import io.concord.job.JobResult;
import io.concord.job.PartitionOrderedSum;
import io.concord.job.PerFileRead;
import io.concord.job.TrainingRun;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import io.concord.config.ConfigException;

/**
 * {@code logreg}: multinomial classification on generated Gaussian classes or CSV data from any Hadoop FileSystem,
 * with a linear softmax model (any Concord loss) or a DL4J MLP (through the DL4J bridge). The demo job and the
 * engine's proving ground. Reports accuracy and mean cross-entropy on held-out data.
 */
public final class LogRegJob implements Job<LogRegConfig> {

    @Override
    public String name() {
        return "logreg";
    }

    @Override
    public String description() {
        return "multinomial logistic regression / DL4J MLP on generated or CSV data (demo, proving ground)";
    }

    @Override
    public Class<LogRegConfig> configType() {
        return LogRegConfig.class;
    }

    @Override
    public void validate(LogRegConfig config) {
        Components.optimizer(config.optimizer(), List.of(new MatrixBlock(0, 2, 1)));
        if (config.model().type().equals("linear")) {
            Components.loss(config.loss(), "cross-entropy");
            if (config.data().generate() != null) {
                Components.logitObjective(config.loss(), config.data().generate().classes());
            }
        } else if (config.loss() != null) {
            throw new ConfigException("loss", "model.type: mlp trains with the DL4J network's own "
                    + "output layer loss; remove the loss section or use model.type: linear");
        }
    }

    @Override
    public void checkInputs(LogRegConfig config, Configuration hadoopConf) {
        if (!config.data().tableSources().isEmpty()) {
            return; // Spark SQL sources are resolved (and reported missing) by Spark
        }
        if (config.data().path() != null) {
            InputFiles.list(new Path(config.data().path()), hadoopConf, "data.path");
        }
        if (config.data().testPath() != null) {
            InputFiles.list(new Path(config.data().testPath()), hadoopConf, "data.testPath");
        }
    }

    @Override
    public JobResult run(LogRegConfig config, JobContext ctx) {
        JavaSparkContext sc = ctx.jsc();
        Datasets data = load(config, ctx);
        int numClasses = config.data().generate() != null ? config.data().generate().classes()
                : data.train.map(LabeledVector::label).reduce(Math::max) + 1;
        int dimension = data.train.first().dimension();
        Model<LabeledVector> model = model(config, dimension, numClasses);
        Optimizer optimizer = Components.optimizer(config.optimizer(),
                List.of(new MatrixBlock(0, numClasses, dimension)));
        StatisticSet statistics = model instanceof LinearClassifier linear
                ? new StatisticSet(linear.statistics()) : StatisticSet.empty();
        Object curvature = model instanceof LinearClassifier linear ? new LinearSoftmaxCurvature(linear) : null;

        JavaRDD<Shard<LabeledVector>> shards = TrainingRun.shard(ctx, data.train, config.train(), config.seed(),
                data.source);
        data.test.cache();
        Predictor predictor = predictor(model, numClasses);
        EvaluationListener evaluation = new EvaluationListener(
                (params, round) -> evaluate(sc, data.test, params, predictor, numClasses),
                config.eval(), "accuracy", config.train().rounds(), ctx.runDir());
        TrainingRun.Outcome<LabeledVector> outcome = TrainingRun.train(ctx, model, optimizer, config.train(),
                config.seed(), statistics, shards, evaluation, curvature);

        Map<String, Double> metrics = new LinkedHashMap<>(evaluate(sc, data.test, outcome.state().params(),
                predictor, numClasses));
        evaluation.bestMetrics().forEach((k, v) -> metrics.put("best." + k, v));
        metrics.put("bestRound", (double) EvaluationListener.bestRound(outcome.state()));
        writeModel(ctx, model, outcome.state().params(), numClasses, dimension, config);
        shards.unpersist(false);
        return new JobResult(outcome.state().nextRound(), outcome.finalLoss(), metrics,
                Map.of("numParams", model.numParams(), "trainExamples", data.trainCount,
                        "model", config.model().type()));
    }

    /** The final parameters (the reported metrics' model) as weights JSON (linear) or a DL4J zip (mlp). */
    private static void writeModel(JobContext ctx, Model<LabeledVector> model, float[] params, int numClasses,
                                   int dimension, LogRegConfig config) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("model", config.model().type());
        details.put("classes", numClasses);
        details.put("dimension", dimension);
        details.put("input", "features: float[" + dimension + "]; output: class probabilities (softmax)");
        if (model instanceof LinearClassifier linear) {
            LinearWeights.write(ctx, linear, params, details);
        } else {
            NetworkZip.write(ctx, (Dl4jNetworkModel<?>) model, params, List.of(), details);
        }
    }

    private static Model<LabeledVector> model(LogRegConfig config, int dimension, int numClasses) {
        if (config.model().type().equals("mlp")) {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(config.seed())
                    .weightInit(WeightInit.XAVIER).list()
                    .layer(new DenseLayer.Builder().nIn(dimension).nOut(config.model().hidden())
                            .activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(config.model().hidden())
                            .nOut(numClasses).activation(Activation.SOFTMAX).build())
                    .build();
            return Dl4jNetworkModel.of(conf, LabeledVectorBatches.oneHot(numClasses));
        }
        return new LinearClassifier(dimension, numClasses, Components.logitObjective(config.loss(), numClasses),
                config.model().l2());
    }

    /** Predicts class probabilities for a batch; lives on executors. */
    public interface Predictor extends Serializable {
        double[][] probabilities(float[] params, List<LabeledVector> batch);
    }

    static Predictor predictor(Model<LabeledVector> model, int numClasses) {
        if (model instanceof LinearClassifier linear) {
            return (params, batch) -> {
                double[][] out = new double[batch.size()][];
                for (int i = 0; i < batch.size(); i++) {
                    out[i] = linear.probabilities(params, batch.get(i).features());
                }
                return out;
            };
        }
        @SuppressWarnings("unchecked")
        Dl4jNetworkModel<LabeledVector> dl4j = (Dl4jNetworkModel<LabeledVector>) model;
        return (params, batch) -> {
            MultiLayerNetwork net = (MultiLayerNetwork) dl4j.networkWith(params);
            INDArray probs = net.output(LabeledVectorBatches.toDataSet(batch, numClasses).getFeatures());
            return probs.toDoubleMatrix();
        };
    }

    /** Accuracy and mean cross-entropy, computed on executors from a broadcast of the parameters. */
    public static Map<String, Double> evaluate(JavaSparkContext sc, JavaRDD<LabeledVector> test, float[] params,
                                        Predictor predictor, int numClasses) {
        double[] sums = PartitionOrderedSum.sums(sc, test, params, (p, it) -> {
            List<LabeledVector> batch = new ArrayList<>();
            it.forEachRemaining(batch::add);
            double correct = 0;
            double nll = 0;
            if (!batch.isEmpty()) {
                double[][] probs = predictor.probabilities(p, batch);
                for (int i = 0; i < batch.size(); i++) {
                    int label = batch.get(i).label();
                    double[] row = probs[i];
                    int best = IntStream.range(0, row.length).reduce((a, b) -> row[b] > row[a] ? b : a).orElse(0);
                    correct += best == label ? 1 : 0;
                    nll -= Math.log(Math.max(label < row.length ? row[label] : 0.0, 1e-12));
                }
            }
            return new double[] {correct, nll, batch.size()};
        });
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("accuracy", sums[0] / sums[2]);
        out.put("testLoss", sums[1] / sums[2]);
        return out;
    }

    private record Datasets(JavaRDD<LabeledVector> train, JavaRDD<LabeledVector> test, long trainCount,
                            String source) {
    }

    private static Datasets load(LogRegConfig config, JobContext ctx) {
        JavaSparkContext sc = ctx.jsc();
        List<TableSource> tables = config.data().tableSources();
        if (!tables.isEmpty()) {
            return fromTables(config, ctx, tables);
        }
        LogRegConfig.Generate g = config.data().generate();
        if (g != null) {
            GaussianClasses gen = new GaussianClasses(g.dimension(), g.classes(), g.separation(), g.labelNoise());
            long seed = config.seed();
            JavaRDD<LabeledVector> train = slices(sc, g.examples()).flatMap(
                    s -> gen.generate(seed, s[0], (int) s[1]).iterator());
            JavaRDD<LabeledVector> test = slices(sc, g.testExamples()).flatMap(
                    s -> gen.generateClean(seed, 1L << 40 | s[0], (int) s[1]).iterator());
            return new Datasets(train, test, g.examples(), "generated data");
        }
        ReadOptions reading = config.data().reading();
        JavaRDD<LabeledVector> all = readCsv(sc, config.data().path(), reading);
        long count = all.count();
        if (count == 0) {
            throw new DataException(config.data().path(), "no examples found (the dataset is empty)");
        }
        if (config.data().testPath() != null) {
            return new Datasets(all, readCsv(sc, config.data().testPath(), reading), count, config.data().path());
        }
        JavaRDD<LabeledVector>[] split = all.randomSplit(new double[] {0.9, 0.1}, config.seed());
        return new Datasets(split[0], split[1], count, config.data().path());
    }

    /** Spark SQL sources: a train source and a test source, or 10% of the train source at random. */
    private static Datasets fromTables(LogRegConfig config, JobContext ctx, List<TableSource> tables) {
        VectorColumns columns = config.data().columns();
        JavaRDD<LabeledVector> all = VectorTables.read(ctx.spark(), tables.get(0), columns);
        long count = all.count();
        String source = tables.get(0).describe();
        if (tables.size() > 1) {
            return new Datasets(all, VectorTables.read(ctx.spark(), tables.get(1), columns), count, source);
        }
        JavaRDD<LabeledVector>[] split = all.randomSplit(new double[] {0.9, 0.1}, config.seed());
        return new Datasets(split[0], split[1], count, source);
    }

    /** Reads CSV files in parallel, one task per file, so parse errors name file and line. */
    public static JavaRDD<LabeledVector> readCsv(JavaSparkContext sc, String path) {
        return readCsv(sc, path, ReadOptions.defaults());
    }

    /** {@link #readCsv(JavaSparkContext, String)} under {@code data.maxRecordBytes} and {@code data.onBadRecord}. */
    public static JavaRDD<LabeledVector> readCsv(JavaSparkContext sc, String path, ReadOptions reading) {
        List<String> files = InputFiles.list(new Path(path), sc.hadoopConfiguration()).stream().map(Path::toString)
                .toList();
        return PerFileRead.read(sc, files, reading, (i, file, conf, options, bad) -> LabeledVectorCsv.readFile(file,
                conf, i, options, bad));
    }

    private static JavaRDD<long[]> slices(JavaSparkContext sc, int total) {
        int n = Math.max(1, Math.min(sc.defaultParallelism() * 2, (total + 999) / 1000));
        List<long[]> slices = new ArrayList<>();
        long per = (total + n - 1) / n;
        for (long from = 0; from < total; from += per) {
            slices.add(new long[] {from, Math.min(per, total - from)});
        }
        return sc.parallelize(slices, slices.size());
    }
}
