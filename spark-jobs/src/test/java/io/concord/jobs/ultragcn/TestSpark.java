package io.concord.jobs.ultragcn;

import io.concord.spark.ConcordSpark;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Map;

/** A local Spark context with Concord's production settings (Kryo registration required). */
final class TestSpark {

    private TestSpark() {
    }

    static JavaSparkContext start(int threads) {
        return new JavaSparkContext(ConcordSpark.conf("local[" + threads + "]", "concord-ultragcn-test",
                Map.of("spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "4")));
    }
}
