package io.concord.dl4j;

import io.concord.core.model.LabeledVector;
import io.concord.core.model.dl4j.Dl4jNetworkModel;
import io.concord.core.model.dl4j.LabeledVectorBatches;
import io.concord.data.synthetic.GaussianClasses;
import io.concord.engine.EngineConfig;
import io.concord.engine.RoundListener;
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
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same DL4J network trained through the Concord engine (via the DL4J bridge) and through DL4J's own
 * {@link ParameterAveragingTrainingMaster} on the same data and partitions reaches comparable accuracy.
 */
class Dl4jComparisonTest {

    private static final int DIM = 10;
    private static final int CLASSES = 4;
    private static final long SEED = 5L;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(ConcordSpark.conf("local[2]", "dl4j-comparison",
                Map.of("spark.ui.enabled", "false",
                        // DL4J ships its own classes (configs, ND4J arrays) through Kryo without registering them.
                        "spark.kryo.registrationRequired", "false")));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    static MultiLayerConfiguration network() {
        return new NeuralNetConfiguration.Builder().seed(SEED).weightInit(WeightInit.XAVIER)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(DIM).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    @Test
    void concordEngineAndDl4jTrainingMasterReachComparableAccuracy() {
        GaussianClasses gen = new GaussianClasses(DIM, CLASSES, 3.0, 0.0);
        List<LabeledVector> train = gen.generate(SEED, 0, 4000);
        List<LabeledVector> test = gen.generateClean(SEED, 1_000_000, 1000);
        int batchPerWorker = 32;
        int averagingFrequency = 5;
        int epochs = Integer.getInteger("dl4j.epochs", 3);
        int rounds = 4000 / (2 * batchPerWorker * averagingFrequency) * epochs;

        // Concord: parameter averaging every 5 local SGD steps of 32 examples per partition, 2 partitions.
        Dl4jNetworkModel<LabeledVector> model = Dl4jNetworkModel.of(network(), LabeledVectorBatches.oneHot(CLASSES));
        EngineConfig config = EngineConfig.defaults().withSync(SyncMode.PARAMETER_AVERAGING, averagingFrequency)
                .withRounds(rounds).withBatchSize(batchPerWorker);
        TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model,
                io.concord.core.optim.Sgd.plain(0.1), config, StatisticSet.empty(), SEED, RunMetrics.detached());
        JavaRDD<Shard<LabeledVector>> shards = Sharding.shard(sc.parallelize(train, 2), 2, SEED,
                StorageLevel.MEMORY_AND_DISK_SER());
        TrainingState state = engine.initialState();
        engine.train(shards, state, RoundListener.NONE, null);
        double concordAccuracy = accuracy((MultiLayerNetwork) model.networkWith(state.params()), test);

        // DL4J: same network, optimizer, batch per worker and averaging frequency, 3 epochs over the same data.
        List<DataSet> examples = new ArrayList<>();
        for (LabeledVector v : train) {
            examples.add(LabeledVectorBatches.toDataSet(List.of(v), CLASSES));
        }
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(1)
                .batchSizePerWorker(batchPerWorker).averagingFrequency(averagingFrequency).workerPrefetchNumBatches(0)
                .rngSeed(SEED).build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, network(), master);
        JavaRDD<DataSet> rdd = sc.parallelize(examples, 2);
        for (int epoch = 0; epoch < epochs; epoch++) {
            sparkNet.fit(rdd);
        }
        double dl4jAccuracy = accuracy(sparkNet.getNetwork(), test);

        System.out.printf("Concord engine accuracy %.4f, DL4J ParameterAveragingTrainingMaster accuracy %.4f%n",
                concordAccuracy, dl4jAccuracy);
        assertThat(concordAccuracy).isGreaterThan(0.85);
        assertThat(dl4jAccuracy).isGreaterThan(0.85);
        assertThat(Math.abs(concordAccuracy - dl4jAccuracy)).isLessThan(0.05);
    }

    private static double accuracy(MultiLayerNetwork net, List<LabeledVector> test) {
        DataSet ds = LabeledVectorBatches.toDataSet(test, CLASSES);
        INDArray predicted = net.output(ds.getFeatures()).argMax(1);
        INDArray actual = ds.getLabels().argMax(1);
        long correct = 0;
        for (int i = 0; i < test.size(); i++) {
            if (predicted.getLong(i) == actual.getLong(i)) {
                correct++;
            }
        }
        return correct / (double) test.size();
    }
}
