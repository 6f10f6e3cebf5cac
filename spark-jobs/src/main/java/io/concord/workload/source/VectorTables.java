package io.concord.workload.source;

import io.concord.core.model.LabeledVector;
import io.concord.data.DataException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

/**
 * Reads labelled vectors from a Spark SQL source as an RDD of {@link LabeledVector}s, distributed: the rows stay on
 * the executors; the driver gets one row of checks (nulls, array sizes, label range) from one aggregation.
 */
public final class VectorTables {

    static final String FEATURES = "__features";
    static final String LABEL = "__label";
    static final String ID = "__id";

    private VectorTables() {
    }

    public static JavaRDD<LabeledVector> read(SparkSession spark, TableSource source, VectorColumns columns) {
        Dataset<Row> rows = select(source, source.read(spark), columns);
        check(source, rows, columns);
        if (columns.id() != null) {
            rows = rows.orderBy(ID);
        }
        boolean withId = columns.id() != null;
        return rows.javaRDD().map(r -> {
            List<Number> f = r.getList(0);
            float[] x = new float[f.size()];
            for (int k = 0; k < x.length; k++) {
                x[k] = f.get(k).floatValue();
            }
            return new LabeledVector(x, (int) r.getLong(1), withId ? r.getLong(2) : -1L);
        });
    }

    /** Schema checks, then {@code features: array<float>, label: bigint[, id: bigint]}. */
    static Dataset<Row> select(TableSource source, Dataset<Row> rows, VectorColumns c) {
        StructType schema = rows.schema();
        Column features;
        if (c.features().size() == 1 && schema.getFieldIndex(c.features().get(0)).isDefined()
                && schema.apply(c.features().get(0)).dataType() instanceof ArrayType) {
            String name = c.features().get(0);
            DataType element = ((ArrayType) schema.apply(name).dataType()).elementType();
            if (!(element instanceof NumericType)) {
                throw new DataException(source.describe(), "column '" + name + "' (data.columns.features) has type "
                        + schema.apply(name).dataType().simpleString() + ", expected an array of numbers or "
                        + "numeric columns");
            }
            features = col(name).cast(DataTypes.createArrayType(DataTypes.FloatType));
        } else {
            List<Column> parts = new ArrayList<>();
            for (String name : c.features()) {
                Columns.require(schema, source, "data.columns.features", name, Columns.Kind.NUMBER);
                parts.add(col(name).cast(DataTypes.FloatType));
            }
            features = array(parts.toArray(Column[]::new));
        }
        Columns.require(schema, source, "data.columns.label", c.label(), Columns.Kind.INTEGER);
        List<Column> out = new ArrayList<>(List.of(features.as(FEATURES),
                col(c.label()).cast(DataTypes.LongType).as(LABEL)));
        if (c.id() != null) {
            Columns.require(schema, source, "data.columns.id", c.id(), Columns.Kind.INTEGER);
            out.add(col(c.id()).cast(DataTypes.LongType).as(ID));
        }
        return rows.select(out.toArray(Column[]::new));
    }

    /** One aggregation: no null features, labels or ids, one vector size, labels in {@code [0, 2^31)}. */
    private static void check(TableSource source, Dataset<Row> rows, VectorColumns c) {
        Column nullFeature = col(FEATURES).isNull().or(expr("exists(" + FEATURES + ", x -> x IS NULL)"));
        Column nullId = c.id() == null ? lit(false) : col(ID).isNull();
        Row s = rows.agg(count(lit(1)), count(when(nullFeature, 1)), count(when(col(LABEL).isNull(), 1)),
                min(size(col(FEATURES))), max(size(col(FEATURES))), min(col(LABEL)), max(col(LABEL)),
                count(when(nullId, 1))).first();
        String where = source.describe();
        String featureColumns = String.join(", ", c.features());
        if (s.getLong(0) == 0) {
            throw new DataException(where, "no examples found (the source is empty"
                    + (source.where() == null ? "" : " after data.where") + ")");
        }
        if (s.getLong(1) > 0) {
            throw new DataException(where, "column(s) '" + featureColumns + "' (data.columns.features) have "
                    + s.getLong(1) + " null values");
        }
        if (s.getLong(2) > 0) {
            throw new DataException(where, "column '" + c.label() + "' (data.columns.label) has " + s.getLong(2)
                    + " null values");
        }
        if (s.getLong(7) > 0) {
            throw new DataException(where, "column '" + c.id() + "' (data.columns.id) has " + s.getLong(7)
                    + " null values");
        }
        if (s.getInt(3) != s.getInt(4) || s.getInt(3) == 0) {
            throw new DataException(where, "column(s) '" + featureColumns + "' (data.columns.features) hold vectors "
                    + "of " + s.getInt(3) + " to " + s.getInt(4) + " numbers; expected one size >= 1");
        }
        if (s.getLong(5) < 0 || s.getLong(6) > Integer.MAX_VALUE - 1) {
            throw new DataException(where, "column '" + c.label() + "' (data.columns.label) has values "
                    + s.getLong(5) + " to " + s.getLong(6) + ", expected class indices >= 0");
        }
    }
}
