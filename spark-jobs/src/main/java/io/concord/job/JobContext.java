package io.concord.job;

import io.concord.engine.metrics.RunMetrics;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import java.io.PrintStream;

/**
 * What a running job gets: Spark, the run directory (write into staging), whether to resume from the newest
 * checkpoint, the run's metrics, and the console for user-facing messages.
 */
public record JobContext(String jobName, SparkSession spark, JavaSparkContext jsc, RunDirectory runDir,
                         boolean resume, RunMetrics metrics, PrintStream console) {

    public Configuration hadoopConf() {
        return jsc.hadoopConfiguration();
    }
}
