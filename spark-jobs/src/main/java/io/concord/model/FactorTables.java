package io.concord.model;

import io.concord.config.ConfigException;
import io.concord.data.graph.IdMap;
import io.concord.run.RunDirectory;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * Factor tables as Parquet: one row per user (or item) with {@code id} (the original id: bigint or string, from the
 * id map), {@code index} (the dense index the model uses) and {@code vector} ({@code array<float>}, the factor row).
 * A Spark user joins them on {@code id}; Concord reads them back by {@code index}, exactly (float32 both ways).
 */
public final class FactorTables {

    public static final String ID = "id";
    public static final String INDEX = "index";
    public static final String VECTOR = "vector";
    public static final String COLUMNS = "id bigint|string, index int, vector array<float>";

    /** Rows per slice of the driver-side table handed to Spark. */
    private static final int ROWS_PER_SLICE = 4096;

    private FactorTables() {
    }

    public static DataType idType(IdMap ids) {
        return ids.type() == IdMap.KeyType.LONG ? DataTypes.LongType : DataTypes.StringType;
    }

    public static StructType schema(IdMap ids) {
        return new StructType().add(ID, idType(ids), false).add(INDEX, DataTypes.IntegerType, false)
                .add(VECTOR, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }

    /**
     * Writes rows {@code 0..n-1} of the row-major table {@code values[base + i·dim ..]} to the staged directory
     * {@code model/<relative>}.
     */
    public static void write(SparkSession spark, RunDirectory dir, String relative, float[] values, int base, int n,
                             int dim, IdMap ids) {
        if (ids.size() != n) {
            throw new IllegalStateException("id map of " + ids.size() + " ids for " + n + " rows");
        }
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Float[] v = new Float[dim];
            for (int d = 0; d < dim; d++) {
                v[d] = values[base + i * dim + d];
            }
            rows.add(RowFactory.create(ids.original(i), i, v));
        }
        int slices = Math.max(1, (n + ROWS_PER_SLICE - 1) / ROWS_PER_SLICE);
        Dataset<Row> table = spark.createDataFrame(
                JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, slices), schema(ids));
        try {
            table.write().mode(SaveMode.Overwrite).parquet(dir.staged("model/" + relative).toString());
        } catch (RuntimeException e) {
            throw new RunDirectory.OutputException("writing model/" + relative + " failed: " + e.getMessage(), e);
        }
    }

    /** The table as a dense row-major array of {@code n × dim} floats (row = {@code index}). */
    public static float[] readDense(SparkSession spark, String path, int n, int dim) {
        List<Row> rows = spark.read().parquet(path).select(INDEX, VECTOR).collectAsList();
        if (rows.size() != n) {
            throw new ConfigException("--model", path + " holds " + rows.size() + " rows, model.json says " + n);
        }
        float[] out = new float[n * dim];
        for (Row r : rows) {
            int i = r.getInt(0);
            List<Float> v = r.getList(1);
            if (i < 0 || i >= n || v.size() != dim) {
                throw new ConfigException("--model", path + ": row index " + i + " with " + v.size()
                        + " values does not fit " + n + " rows of " + dim);
            }
            for (int d = 0; d < dim; d++) {
                out[i * dim + d] = v.get(d);
            }
        }
        return out;
    }
}
