package io.concord.workload.source;

import io.concord.core.calib.CalibParam;
import io.concord.data.DataException;
import io.concord.data.calib.StereoPair;
import io.concord.data.io.OnBadRecord;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/**
 * Reads stereo image pairs ({@code calib}) from a Spark SQL source as {@link StereoPair}s on the executors: an id,
 * binary left/right views, width/height and the ten labels ({@link ImagePairColumns}). A row becomes the pair a
 * shard record with the same values gives; the driver gets only the distinct image sizes (one aggregation).
 */
public final class ImagePairTables {

    static final String ORDER = "__order";
    static final String ID = "__id";
    private static final int FIRST_LABEL = 5;

    private ImagePairTables() {
    }

    /**
     * Schema checks, then {@code __id string, width int, height int, left binary, right binary, fx … theta float},
     * ordered by the id column (numerically for integer ids, as text for string ids).
     */
    public static Dataset<Row> select(SparkSession spark, TableSource source, ImagePairColumns c) {
        Dataset<Row> rows = source.read(spark);
        StructType schema = rows.schema();
        Columns.require(schema, source, ImagePairColumns.key("id"), c.id(), Columns.Kind.ID);
        List<Column> out = new ArrayList<>(List.of(col(c.id()).as(ORDER), col(c.id()).cast(DataTypes.StringType)
                .as(ID)));
        String[][] images = {{"width", c.width()}, {"height", c.height()}, {"left", c.left()}, {"right", c.right()}};
        for (String[] f : images) {
            boolean size = f[0].equals("width") || f[0].equals("height");
            Columns.require(schema, source, ImagePairColumns.key(f[0]), f[1],
                    size ? Columns.Kind.INTEGER : Columns.Kind.BINARY);
            out.add(size ? col(f[1]).cast(DataTypes.IntegerType).as(f[0]) : col(f[1]).as(f[0]));
        }
        for (CalibParam p : CalibParam.values()) {
            String column = c.labels().get(p.index());
            Columns.require(schema, source, ImagePairColumns.key(p.key()), column, Columns.Kind.NUMBER);
            out.add(col(column).cast(DataTypes.FloatType).as(p.key()));
        }
        return rows.select(out.toArray(Column[]::new)).orderBy(ORDER).drop(ORDER);
    }

    /** {@code [width, height]}: the one image size of the selected sources' rows (nulls are bad rows, not sizes). */
    public static int[] imageSize(List<TableSource> sources, List<Dataset<Row>> selected, ImagePairColumns c) {
        List<String> sizes = new ArrayList<>();
        int[] size = null;
        for (Dataset<Row> rows : selected) {
            for (Row r : rows.select("width", "height").where(col("width").isNotNull().and(col("height").isNotNull()))
                    .distinct().collectAsList()) {
                String s = r.getInt(0) + "x" + r.getInt(1);
                if (!sizes.contains(s)) {
                    sizes.add(s);
                    size = new int[] {r.getInt(0), r.getInt(1)};
                }
            }
        }
        String where = sources.stream().map(TableSource::describe).collect(Collectors.joining(" + "));
        if (sizes.isEmpty()) {
            throw new DataException(where, "no image pairs (the source is empty"
                    + (sources.get(0).where() == null ? "" : " after data.where") + ")");
        }
        if (sizes.size() > 1) {
            throw new DataException(where, "columns '" + c.width() + "', '" + c.height() + "' (data.columns.width, "
                    + "data.columns.height) hold " + sizes.size() + " image sizes (" + String.join(", ", sizes)
                    + "); every pair needs the same size");
        }
        if (size[0] <= 0 || size[1] <= 0) {
            throw new DataException(where, "columns '" + c.width() + "', '" + c.height() + "' hold the image size "
                    + sizes.get(0) + ", expected positive sizes");
        }
        return size;
    }

    /** The pairs of selected rows; a row that is not a pair is a bad record ({@link TableRows}). */
    public static JavaRDD<StereoPair> pairs(JavaSparkContext sc, TableSource source, Dataset<Row> selected,
                                            ImagePairColumns c, OnBadRecord policy) {
        String[] names = {c.id(), c.width(), c.height(), c.left(), c.right()};
        String[] fields = {"id", "width", "height", "left", "right"};
        List<String> labels = c.labels();
        return TableRows.read(sc, source, selected, policy, r -> {
            Object[] v = new Object[names.length];
            for (int f = 0; f < names.length; f++) {
                v[f] = TableRows.required(r, f, names[f], ImagePairColumns.key(fields[f]));
            }
            int width = (Integer) v[1];
            int height = (Integer) v[2];
            long bytes = (long) width * height * StereoPair.CHANNELS;
            for (int f = 3; f <= 4; f++) {
                int got = ((byte[]) v[f]).length;
                if (got != bytes) {
                    throw new TableRows.BadRow("column '" + names[f] + "' (" + ImagePairColumns.key(fields[f])
                            + ") holds " + got + " bytes, expected " + bytes + " (" + width + "x" + height
                            + "x3 RGB)");
                }
            }
            float[] label = new float[CalibParam.COUNT];
            for (CalibParam p : CalibParam.values()) {
                Object x = TableRows.required(r, FIRST_LABEL + p.index(), labels.get(p.index()),
                        ImagePairColumns.key(p.key()));
                label[p.index()] = (Float) x;
                if (!Float.isFinite(label[p.index()])) {
                    throw new TableRows.BadRow("column '" + labels.get(p.index()) + "' ("
                            + ImagePairColumns.key(p.key()) + ") is " + x + ", expected a finite number");
                }
            }
            return new StereoPair((String) v[0], width, height, (byte[]) v[3], (byte[]) v[4], label);
        });
    }
}
