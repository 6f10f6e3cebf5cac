package io.concord.job;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Batch runs start no Spark UI unless asked: by the job config, by spark-submit/system property, or --spark-ui. */
class ConcordSparkTest {

    @Test
    void theUiIsOffByDefaultAndOnWhenAsked() {
        assertThat(ConcordSpark.conf("local[1]", "t", Map.of()).get("spark.ui.enabled")).isEqualTo("false");
        assertThat(ConcordSpark.conf("local[1]", "t", Map.of("spark.ui.enabled", "true")).get("spark.ui.enabled"))
                .isEqualTo("true");
        // spark-submit --conf and the CLI's --spark-ui arrive as spark.* system properties
        System.setProperty("spark.ui.enabled", "true");
        try {
            SparkConf conf = ConcordSpark.conf("local[1]", "t", Map.of());
            assertThat(conf.get("spark.ui.enabled")).isEqualTo("true");
        } finally {
            System.clearProperty("spark.ui.enabled");
        }
    }
}
