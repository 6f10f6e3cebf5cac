package io.concord.jobs.pref;

import io.concord.spark.ConcordSpark;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Map;

/** One local Spark context per test class with Concord's production settings (Kryo registration required). */
final class PrefSpark {

    private PrefSpark() {
    }

    static JavaSparkContext start(int threads) {
        return new JavaSparkContext(ConcordSpark.conf("local[" + threads + "]", "concord-pref-test",
                Map.of("spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "4")));
    }
}
