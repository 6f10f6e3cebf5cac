package io.concord.inference;

import io.concord.config.ConfigException;
import io.concord.data.DataException;
import io.concord.model.ModelManifest;
import io.concord.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

/**
 * {@code concord predict} (alias {@code score}): a committed classifier (logreg {@code linear} or {@code mlp}) on a
 * table with a feature-vector column; writes the table with {@code prediction} (the most probable class) and
 * {@code probability} ({@code array<double>}, one per class) added, computed in batches on the executors from the
 * portable model files, and committed like a run directory. For a preference LM, the input is a file of pairs and
 * the output their log-probabilities and reward margins ({@link PairScorer}).
 */
@Command(name = "predict", aliases = "score", mixinStandardHelpOptions = true,
        description = "Add prediction and probability columns to a table with a committed logreg model "
                + "(weights.json or network.zip), pred_<param> columns to a table of image pairs with a calib "
                + "model, or score preference pairs with a preference LM (chosen and "
                + "rejected log-probabilities, implicit reward margin).")
public final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "committed run directory of logreg or of a "
            + "preference job (pref-sft, pref-align, pref-unlearn)")
    String model;
    @Option(names = "--input", required = true, description = "logreg: a Parquet table directory or .parquet "
            + "file, or table:<catalog table>; preference models: a pairs file or directory (JSONL/CSV "
            + "prompt, chosen, rejected)")
    String input;
    @Option(names = "--features-column", defaultValue = "features", description = "array of numbers (default: "
            + "features)")
    String featuresColumn;
    @Option(names = "--output", required = true, description = "the output table directory (its name must be a "
            + "valid run id)")
    String output;
    @Option(names = "--batch-size", defaultValue = "256", description = "rows per network call (default: 256)")
    int batchSize;
    @Option(names = "--reference", description = "preference models: the reference run (default: the run's "
            + "reference, else its init; none for no reference and no margin)")
    String reference;
    @Option(names = "--beta", description = "preference models: β of the reward margin (default: the run's "
            + "loss.beta, else 0.1)")
    Double beta;
    @Option(names = "--master", description = "Spark master for embedded runs (default local[*])")
    String master;
    @Option(names = "--overwrite", description = "replace an already committed output")
    boolean overwrite;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new ConfigException("--batch-size", batchSize, "an integer >= 1");
        }
        Configuration conf = new Configuration();
        RunDirectory out = InferenceRun.outputDirectory(output, conf);
        if (InferenceRun.alreadyCommitted(out, overwrite, System.out)) {
            return 0;
        }
        InferenceRun.begin(out, overwrite);
        SparkSession spark = InferenceRun.spark("predict", master);
        try {
            ModelManifest manifest = ModelManifest.read(new Path(model), spark.sparkContext().hadoopConfiguration());
            if (manifest.modelType().equals(ModelManifest.LM)) {
                write(PairScorer.score(spark, new Path(model), input, reference, beta), out);
                System.out.println("committed " + out.committedPath() + " (pair scores)");
                return 0;
            }
            if (manifest.job().equals("calib")) {
                write(CalibPredictor.predict(spark, new Path(model), read(spark), input), out);
                System.out.println("committed " + out.committedPath() + " (calibration predictions)");
                return 0;
            }
            Classifier classifier = Classifier.load(new Path(model), spark.sparkContext().hadoopConfiguration());
            Dataset<Row> table = read(spark);
            StructType schema = table.schema();
            int column = featureColumn(schema);
            StructType outSchema = schema.add("prediction", DataTypes.IntegerType, false)
                    .add("probability", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
            String source = input;
            String name = featuresColumn;
            int batch = batchSize;
            JavaRDD<Row> rows = table.toJavaRDD().mapPartitions(it -> predict(it, classifier, column, batch, source,
                    name));
            write(spark.createDataFrame(rows, outSchema), out);
            System.out.println("committed " + out.committedPath() + " (" + classifier.classes() + " classes)");
            return 0;
        } finally {
            spark.stop();
            InferenceRun.release(out);
        }
    }

    /** Writes the table into staging and commits; a data error raised in a task keeps its message and exit code. */
    private void write(Dataset<Row> table, RunDirectory out) {
        try {
            table.write().mode(SaveMode.Overwrite).parquet(out.stagingPath().toString());
        } catch (RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof DataException d) {
                    throw d;
                }
                if (c instanceof ConfigException ce) {
                    throw ce;
                }
            }
            throw new RunDirectory.OutputException("writing " + output + " failed: " + e.getMessage(), e);
        }
        InferenceRun.commit(out, overwrite);
    }

    private Dataset<Row> read(SparkSession spark) {
        try {
            return input.startsWith("table:") ? spark.table(input.substring(6)) : spark.read().parquet(input);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // Spark's AnalysisException (a missing table or path) is checked for javac but not declared
            throw new DataException(input, "cannot be read: " + (e instanceof AnalysisException a
                    ? a.getSimpleMessage() : e.getMessage()), e);
        }
    }

    private int featureColumn(StructType schema) {
        if (!Arrays.asList(schema.fieldNames()).contains(featuresColumn)) {
            throw new DataException(input, "no column '" + featuresColumn + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + "); set --features-column");
        }
        DataType type = schema.apply(featuresColumn).dataType();
        if (!(type instanceof ArrayType a) || !(a.elementType() instanceof NumericType)) {
            throw new DataException(input, "column " + featuresColumn + " is " + type.simpleString()
                    + ", expected an array of numbers (array<float> or array<double>)");
        }
        return schema.fieldIndex(featuresColumn);
    }

    /** Predicts batch by batch, reading the next batch only when the previous one has been consumed. */
    private static Iterator<Row> predict(Iterator<Row> rows, Classifier classifier, int column, int batchSize,
                                         String source, String name) {
        return new Iterator<>() {
            private final List<Row> done = new ArrayList<>(batchSize);
            private int next;

            @Override
            public boolean hasNext() {
                if (next == done.size() && rows.hasNext()) {
                    fill();
                }
                return next < done.size();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return done.get(next++);
            }

            private void fill() {
                done.clear();
                next = 0;
                List<Row> pending = new ArrayList<>(batchSize);
                while (pending.size() < batchSize && rows.hasNext()) {
                    pending.add(rows.next());
                }
                float[][] x = new float[pending.size()][];
                for (int i = 0; i < x.length; i++) {
                    x[i] = features(pending.get(i), column, classifier.dimension(), source, name);
                }
                double[][] p = classifier.probabilities(x);
                for (int i = 0; i < x.length; i++) {
                    done.add(withPrediction(pending.get(i), p[i]));
                }
            }
        };
    }

    private static Row withPrediction(Row row, double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            best = p[c] > p[best] ? c : best;
        }
        Object[] values = new Object[row.size() + 2];
        for (int f = 0; f < row.size(); f++) {
            values[f] = row.get(f);
        }
        Double[] boxed = new Double[p.length];
        for (int c = 0; c < boxed.length; c++) {
            boxed[c] = p[c];
        }
        values[values.length - 2] = best;
        values[values.length - 1] = boxed;
        return RowFactory.create(values);
    }

    private static float[] features(Row row, int column, int dimension, String source, String name) {
        if (row.isNullAt(column)) {
            throw new DataException(source, "column " + name + ": a null feature vector");
        }
        List<Object> v = row.getList(column);
        if (v.size() != dimension) {
            throw new DataException(source, "column " + name + ": a feature vector of length " + v.size()
                    + ", the model takes " + dimension);
        }
        float[] x = new float[dimension];
        for (int j = 0; j < dimension; j++) {
            Object e = v.get(j);
            if (e == null) {
                throw new DataException(source, "column " + name + ": a null feature at position " + j);
            }
            x[j] = ((Number) e).floatValue();
        }
        return x;
    }
}
