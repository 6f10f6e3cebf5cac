package io.concord.inference;

import io.concord.core.calib.CalibNetwork;
import io.concord.core.calib.CalibParam;
import io.concord.data.DataException;
import io.concord.data.calib.StereoPair;
import io.concord.data.calib.StereoPairBatches;
import io.concord.workload.calib.CalibExport;
import io.concord.workload.source.Columns;
import io.concord.workload.source.ImagePairColumns;
import io.concord.workload.source.SqlFormat;
import io.concord.workload.source.TableSource;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code predict} for a committed {@code calib} run: the input table of image pairs (the columns of
 * {@link ImagePairColumns}: id, left, right, width, height; labels not needed) with one {@code pred_<param>} double
 * column per calibration parameter added, in physical units. Computed on the executors from the portable
 * {@code network.zip} (restored once per partition) and the manifest's scaling, in batches, with the calls the
 * training evaluator makes ({@code StereoPairBatches.features}, {@code CalibNetwork.predict}).
 */
final class CalibPredictor {

    private static final int BATCH = 64;

    private CalibPredictor() {
    }

    static StructType schema(StructType input) {
        StructType out = input;
        for (CalibParam p : CalibParam.values()) {
            out = out.add("pred_" + p.key(), DataTypes.DoubleType, false);
        }
        return out;
    }

    static Dataset<Row> predict(SparkSession spark, Path run, Dataset<Row> table, String input) {
        CalibExport export = CalibExport.read(run, spark.sparkContext().hadoopConfiguration());
        int width = export.width();
        int height = export.height();
        ImagePairColumns c = ImagePairColumns.defaults();
        StructType schema = table.schema();
        TableSource source = new TableSource(input.startsWith("table:") ? SqlFormat.TABLE : SqlFormat.PARQUET,
                input, null, null, "--input");
        String[] names = {c.left(), c.right(), c.width(), c.height()};
        Columns.Kind[] kinds = {Columns.Kind.BINARY, Columns.Kind.BINARY, Columns.Kind.INTEGER, Columns.Kind.INTEGER};
        int[] fields = new int[names.length];
        for (int f = 0; f < names.length; f++) {
            Columns.require(schema, source, "data.columns." + names[f], names[f], kinds[f]);
            fields[f] = schema.fieldIndex(names[f]);
        }
        float[] noLabel = new float[CalibParam.COUNT];
        return spark.createDataFrame(table.toJavaRDD().mapPartitions(it -> {
            ComputationGraph network = export.network();
            List<Row> out = new ArrayList<>();
            List<Row> rows = new ArrayList<>(BATCH);
            List<StereoPair> pairs = new ArrayList<>(BATCH);
            long row = 0;
            while (it.hasNext()) {
                Row r = it.next();
                row++;
                for (int f : fields) {
                    if (r.isNullAt(f)) {
                        throw new DataException(input, "row " + row + ": column '" + schema.fieldNames()[f]
                                + "' is null");
                    }
                }
                int w = ((Number) r.get(fields[2])).intValue();
                int h = ((Number) r.get(fields[3])).intValue();
                if (w != width || h != height) {
                    throw new DataException(input, "row " + row + ": a " + w + "x" + h + " image pair; the model "
                            + "takes " + width + "x" + height);
                }
                try {
                    pairs.add(new StereoPair("row " + row, w, h, (byte[]) r.get(fields[0]), (byte[]) r.get(fields[1]),
                            noLabel));
                } catch (IllegalArgumentException e) {
                    throw new DataException(input, "row " + row + ": " + e.getMessage());
                }
                rows.add(r);
                if (pairs.size() == BATCH || !it.hasNext()) {
                    double[][] p = CalibNetwork.predict(network, export.scaling(), StereoPairBatches.features(pairs, export.fusion()));
                    for (int i = 0; i < rows.size(); i++) {
                        Object[] v = new Object[rows.get(i).size() + CalibParam.COUNT];
                        for (int f = 0; f < rows.get(i).size(); f++) {
                            v[f] = rows.get(i).get(f);
                        }
                        for (int k = 0; k < CalibParam.COUNT; k++) {
                            v[rows.get(i).size() + k] = p[i][k];
                        }
                        out.add(RowFactory.create(v));
                    }
                    rows.clear();
                    pairs.clear();
                }
            }
            return out.iterator();
        }), schema(schema));
    }
}
