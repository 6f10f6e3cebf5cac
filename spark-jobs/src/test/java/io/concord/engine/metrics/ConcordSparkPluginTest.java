package io.concord.engine.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.concord.core.loss.SoftmaxCrossEntropy;
import io.concord.core.model.LabeledVector;
import io.concord.core.model.LinearClassifier;
import io.concord.core.optim.Sgd;
import io.concord.data.synthetic.GaussianClasses;
import io.concord.engine.EngineConfig;
import io.concord.engine.RoundListener;
import io.concord.engine.Sharding;
import io.concord.engine.StatisticSet;
import io.concord.engine.TrainingEngine;
import io.concord.engine.TrainingState;
import io.concord.job.ConcordSpark;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.metrics.source.Source;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Concord's Spark plugin publishes executor and driver training metrics on Spark's own metrics system. */
class ConcordSparkPluginTest {

    @Test
    void executorAndDriverMetricsAreRegisteredAndUpdated() {
        try (JavaSparkContext sc = new JavaSparkContext(ConcordSpark.conf("local[2]", "plugin-test",
                Map.of("spark.ui.enabled", "false")))) {
            long before = ExecutorTrainingMetrics.get().examples().getCount();
            LinearClassifier model = new LinearClassifier(4, 3, SoftmaxCrossEntropy.INSTANCE, 0.0);
            RunMetrics runMetrics = RunMetrics.detached();
            TrainingEngine<LabeledVector> engine = new TrainingEngine<>(sc, model, Sgd.plain(0.1),
                    EngineConfig.defaults().withRounds(3).withBatchSize(10), StatisticSet.empty(), 1L, runMetrics);
            TrainingState state = engine.initialState();
            engine.train(Sharding.shard(sc.parallelize(new GaussianClasses(4, 3, 2.0, 0).generate(1, 0, 100), 2), 2,
                    1L, StorageLevel.MEMORY_AND_DISK_SER()), state, RoundListener.NONE, null);

            List<Source> sources = JavaConverters.seqAsJavaList(SparkEnv.get().metricsSystem()
                    .getSourcesByName("plugin." + ConcordSparkPlugin.class.getName()));
            assertThat(sources).isNotEmpty();
            MetricRegistry executor = null;
            MetricRegistry driver = null;
            for (Source s : sources) {
                if (s.metricRegistry().getMetrics().containsKey("examples")) {
                    executor = s.metricRegistry();
                }
                if (s.metricRegistry().getMetrics().containsKey("loss")) {
                    driver = s.metricRegistry();
                }
            }
            assertThat(executor).as("executor plugin registry").isNotNull();
            assertThat(driver).as("driver plugin registry").isNotNull();
            assertThat(((Meter) executor.getMetrics().get("examples")).getCount() - before).isEqualTo(3 * 20);
            assertThat(((Timer) executor.getMetrics().get("partitionCompute")).getCount()).isGreaterThanOrEqualTo(6);
            assertThat((Double) ((Gauge<?>) driver.getMetrics().get("round")).getValue()).isEqualTo(2.0);
            assertThat((Double) ((Gauge<?>) driver.getMetrics().get("loss")).getValue()).isFinite();
            assertThat(runMetrics.registry().timer("round.compute").getCount()).isEqualTo(3);
            assertThat(runMetrics.summary()).containsKeys("time.broadcast.meanMs", "time.aggregate.meanMs",
                    "time.update.meanMs");
        }
    }
}
