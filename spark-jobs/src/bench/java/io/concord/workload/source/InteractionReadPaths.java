package io.concord.workload.source;

import org.apache.spark.sql.SparkSession;

/**
 * The two ways {@link InteractionTables#read} reads Parquet interaction files, each forced, for
 * {@code io.concord.bench.TableReadBench} (the switches are package-private).
 */
public final class InteractionReadPaths {

    private InteractionReadPaths() {
    }

    /** {@link ParquetInteractionFiles} on the driver; fails where it does not apply instead of falling back. */
    public static InteractionTables.Loaded direct(SparkSession spark, TableSource train, TableSource test,
                                                  InteractionColumns columns) {
        InteractionTables.Loaded loaded = ParquetInteractionFiles.read(spark.sparkContext().hadoopConfiguration(),
                train, test, columns, 0, 0);
        if (loaded == null) {
            throw new IllegalStateException("the direct Parquet reader does not apply to " + train.describe());
        }
        return loaded;
    }

    /** Always through Spark SQL. */
    public static InteractionTables.Loaded viaSpark(SparkSession spark, TableSource train, TableSource test,
                                                    InteractionColumns columns) {
        return InteractionTables.read(spark, train, test, columns, 0, 0, false);
    }
}
