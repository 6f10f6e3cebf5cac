package io.concord.workload.source;

import io.concord.engine.kryo.KryoClasses;

import java.util.List;

/**
 * Spark SQL schema types that appear in task results when Spark infers a Parquet/ORC schema (the nested and
 * primitive types Spark's own registrator leaves out), for the table sources of every job.
 */
public final class SqlKryoClasses implements KryoClasses {

    @Override
    public List<String> classNames() {
        return List.of(
                "org.apache.spark.sql.types.ArrayType",
                "org.apache.spark.sql.types.MapType",
                "org.apache.spark.sql.types.DecimalType",
                "org.apache.spark.sql.types.ByteType$",
                "org.apache.spark.sql.types.ShortType$",
                "org.apache.spark.sql.types.IntegerType$",
                "org.apache.spark.sql.types.LongType$",
                "org.apache.spark.sql.types.FloatType$",
                "org.apache.spark.sql.types.DoubleType$",
                "org.apache.spark.sql.types.BooleanType$",
                "org.apache.spark.sql.types.StringType$",
                "org.apache.spark.sql.types.BinaryType$",
                "org.apache.spark.sql.types.DateType$",
                "org.apache.spark.sql.types.TimestampType$",
                "org.apache.spark.sql.types.TimestampNTZType$");
    }
}
