package io.concord.testing;

import io.concord.job.ConcordSpark;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Map;

/** A local Spark context for tests, with Concord's production settings (Kryo registration required). */
public final class LocalSpark {

    private LocalSpark() {
    }

    public static JavaSparkContext start(int threads) {
        return start(threads, 1);
    }

    /** {@code local[threads, maxFailures]}: task retries are enabled in local mode only through the master URL. */
    public static JavaSparkContext start(int threads, int maxFailures) {
        String master = maxFailures > 1 ? "local[" + threads + "," + maxFailures + "]" : "local[" + threads + "]";
        return new JavaSparkContext(ConcordSpark.conf(master, "concord-test",
                Map.of("spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "4")));
    }
}
