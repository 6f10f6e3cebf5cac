package io.concord.model;

import io.concord.config.ConfigException;
import io.concord.data.graph.IdMap;
import io.concord.run.RunDirectory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
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

    /** Rows per write task. */
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
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<float[]> table = sc.broadcast(Arrays.copyOfRange(values, base, base + n * dim));
        Broadcast<Object[]> originals = sc.broadcast(originals(ids));
        List<int[]> ranges = new ArrayList<>();
        for (int from = 0; from < n; from += ROWS_PER_SLICE) {
            ranges.add(new int[] {from, Math.min(n, from + ROWS_PER_SLICE)});
        }
        JavaRDD<Row> rows = sc.parallelize(ranges, Math.max(1, ranges.size())).flatMap(r -> {
            float[] t = table.value();
            Object[] o = originals.value();
            List<Row> out = new ArrayList<>(r[1] - r[0]);
            for (int i = r[0]; i < r[1]; i++) {
                Float[] v = new Float[dim];
                for (int d = 0; d < dim; d++) {
                    v[d] = t[i * dim + d];
                }
                out.add(RowFactory.create(o[i], i, v));
            }
            return out.iterator();
        });
        try {
            spark.createDataFrame(rows, schema(ids)).write().mode(SaveMode.Overwrite)
                    .parquet(dir.staged("model/" + relative).toString());
        } catch (RuntimeException e) {
            throw new RunDirectory.OutputException("writing model/" + relative + " failed: " + e.getMessage(), e);
        } finally {
            table.destroy();
            originals.destroy();
        }
    }

    /**
     * The original ids in index order as a plain array ({@link Long} or {@link String} elements), the form in which
     * they are shipped to the executors.
     */
    public static Object[] originals(IdMap ids) {
        Object[] out = new Object[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.original(i);
        }
        return out;
    }

    /** The table, read with its known schema (no schema inference job). */
    public static Dataset<Row> read(SparkSession spark, String path, IdMap ids) {
        return spark.read().schema(schema(ids)).parquet(path);
    }

    /** The table as a dense row-major array of {@code n × dim} floats (row = {@code index}). */
    public static float[] readDense(SparkSession spark, String path, IdMap ids, int dim) {
        int n = ids.size();
        List<Row> rows = read(spark, path, ids).select(INDEX, VECTOR).collectAsList();
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
