package io.concord.engine;

import io.concord.spark.ConcordSpark;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Map;

/** One local Spark context per test class, with Concord's production settings (Kryo registration required). */
final class LocalSpark {

    private LocalSpark() {
    }

    /** {@code local[threads, maxFailures]}: task retries are enabled in local mode only through the master URL. */
    static JavaSparkContext start(int threads, int maxFailures) {
        return new JavaSparkContext(ConcordSpark.conf("local[" + threads + "," + maxFailures + "]", "concord-test",
                Map.of("spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "4")));
    }
}
