package io.concord.workload.source;

import io.concord.data.DataException;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Schema checks of a table source, done on the driver before anything is read: the mapped column exists and has an
 * accepted type. The {@link DataException} names the source, the column, the config key that mapped it, its type and
 * the expected type (exit code 3).
 */
public final class Columns {

    private Columns() {
    }

    /** Kinds of columns a record field accepts. */
    public enum Kind {
        ID("an integer or string type"),
        INTEGER("an integer type"),
        NUMBER("a numeric type"),
        TIME("a numeric, date or timestamp type"),
        SPLIT("string ('train' / 'test') or boolean (true = test)"),
        TEXT("a string type"),
        INTEGER_ARRAY("an array of integers"),
        BINARY("binary");

        private final String expected;

        Kind(String expected) {
            this.expected = expected;
        }

        public String expected() {
            return expected;
        }
    }

    /** The type of the mapped column, after checking it exists and has the expected kind. */
    public static DataType require(StructType schema, TableSource source, String key, String column, Kind kind) {
        StructField field = find(schema, column);
        if (field == null) {
            throw new DataException(source.describe(), "no column '" + column + "' (" + key + "); columns: "
                    + Arrays.stream(schema.fields()).map(f -> f.name() + " " + f.dataType().simpleString())
                    .collect(Collectors.joining(", ")));
        }
        DataType type = field.dataType();
        if (!accepts(kind, type)) {
            throw new DataException(source.describe(), "column '" + column + "' (" + key + ") has type "
                    + type.simpleString() + ", expected " + kind.expected());
        }
        return type;
    }

    /** Whether an id column holds integers (else strings). */
    public static boolean isInteger(DataType type) {
        return type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType
                || type instanceof LongType;
    }

    static boolean accepts(Kind kind, DataType type) {
        return switch (kind) {
            case ID -> isInteger(type) || type instanceof StringType;
            case INTEGER -> isInteger(type);
            case NUMBER -> type instanceof NumericType;
            case TIME -> type instanceof NumericType || type instanceof DateType || type instanceof TimestampType
                    || type instanceof TimestampNTZType;
            case SPLIT -> type instanceof StringType || type instanceof BooleanType;
            case TEXT -> type instanceof StringType;
            case INTEGER_ARRAY -> type instanceof ArrayType a && isInteger(a.elementType());
            case BINARY -> type instanceof BinaryType;
        };
    }

    /** Case-insensitive like Spark SQL's default resolution; an exact match wins. */
    private static StructField find(StructType schema, String column) {
        StructField loose = null;
        for (StructField f : schema.fields()) {
            if (f.name().equals(column)) {
                return f;
            }
            if (f.name().equalsIgnoreCase(column)) {
                loose = f;
            }
        }
        return loose;
    }
}
