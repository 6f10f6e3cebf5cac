package io.concord.workload.logreg;

import io.concord.config.ComponentSpec;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;
import io.concord.config.ConfigException;
import io.concord.config.RecordReading;
import io.concord.config.SparkSection;
import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;
import io.concord.engine.EngineConfig;
import io.concord.job.EvalSection;
import io.concord.job.JobConfig;
import io.concord.workload.source.SqlFormat;
import io.concord.workload.source.TableSource;
import io.concord.workload.source.VectorColumns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Config of the {@code logreg} job: multinomial classification (the engine's proving ground and the demo).
 */
public record LogRegConfig(Long seed, SparkSection spark, Data data, ModelSection model, ComponentSpec loss,
                           ComponentSpec optimizer, EngineConfig train, EvalSection eval) implements JobConfig {

    /** The top-level scalar key (the others are sections). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.longInt("seed", 42L, "run seed (data generation, initialisation, batch order, held-out split)"));

    public LogRegConfig {
        seed = PARAMS.longInt("", "seed", seed);
        spark = spark == null ? SparkSection.defaults() : spark;
        data = data == null ? new Data(null, null, null, null, null, null, null, null, null, null, null) : data;
        model = model == null ? new ModelSection(null, null, null) : model;
        optimizer = optimizer == null ? ComponentSpec.of("sgd", Map.of("lr", 0.5)) : optimizer;
        train = train == null ? EngineConfig.defaults() : train;
        eval = eval == null ? EvalSection.defaults() : eval;
    }

    /**
     * Training data: CSV files ({@code label,x1,…,xd}) at {@code path} on any Hadoop FileSystem, a Spark SQL source
     * ({@code format}; docs/data.md), or generated Gaussian classes ({@code generate}, the default).
     *
     * @param path      training CSV file or directory; with a Spark SQL file {@code format}, files of that format
     * @param testPath  held-out CSV or files of the format (default: generated clean examples, or 10% of
     *                  {@code path} at random)
     * @param generate  parameters of the generated data
     * @param maxRecordBytes longest accepted CSV line in bytes (default 16 MiB)
     * @param onBadRecord    {@code fail} (default) or {@code skip} malformed lines
     * @param format    {@code text} (the CSV above, the default with {@code path}) or {@code parquet}, {@code orc},
     *                  {@code csv}, {@code json}, {@code table}
     * @param table     training catalog table (implies {@code format: table})
     * @param testTable held-out catalog table
     * @param where     SQL filter applied to the Spark SQL sources
     * @param columns   column mapping of the Spark SQL sources ({@link VectorColumns})
     * @param options   Spark reader options of the file formats
     */
    public record Data(String path, String testPath, Generate generate, Long maxRecordBytes,
                       OnBadRecord onBadRecord, String format, String table, String testTable, String where,
                       VectorColumns columns, Map<String, String> options) {
        public Data {
            if (table != null && format == null) {
                format = SqlFormat.TABLE.key();
            }
            SqlFormat sql = SqlFormat.of(format);
            if (format != null && sql == null && !format.equals("text")) {
                throw new ConfigException("data.format", format, "text, " + SqlFormat.allowed());
            }
            if (sql == null) {
                for (Object[] kv : new Object[][] {{"data.table", table}, {"data.testTable", testTable},
                        {"data.where", where}, {"data.columns", columns}, {"data.options", options}}) {
                    if (kv[1] != null) {
                        throw new ConfigException((String) kv[0], "applies to the Spark SQL sources only "
                                + "(data.format: " + SqlFormat.allowed() + ")");
                    }
                }
            } else {
                columns = columns == null ? VectorColumns.defaults() : columns;
                boolean isTable = sql == SqlFormat.TABLE;
                if (isTable ? path != null || testPath != null : table != null || testTable != null) {
                    throw new ConfigException(isTable ? (path != null ? "data.path" : "data.testPath")
                            : (table != null ? "data.table" : "data.testTable"), "does not apply to data.format "
                            + sql.key() + (isTable ? " (name the tables in data.table / data.testTable)"
                            : " (data.table / data.testTable are for data.format table)"));
                }
                if ((isTable ? table : path) == null) {
                    throw new ConfigException(isTable ? "data.table" : "data.path", "is required with data.format "
                            + sql.key());
                }
                if (where != null && where.isBlank()) {
                    throw new ConfigException("data.where", where, "a SQL filter, e.g. ds = '2026-12-01'");
                }
            }
            boolean files = path != null || table != null;
            if (files && generate != null) {
                throw new ConfigException("data", "set either data.path / data.table or data.generate, not both");
            }
            if (!files && generate == null) {
                generate = new Generate(null, null, null, null, null, null);
            }
            if (path != null && path.isBlank()) {
                throw new ConfigException("data.path", path, "a file or directory URI");
            }
            maxRecordBytes = RecordReading.maxRecordBytes(maxRecordBytes);
            onBadRecord = RecordReading.onBadRecord(onBadRecord);
            options = options == null ? null : Map.copyOf(options);
        }

        public ReadOptions reading() {
            return new ReadOptions(maxRecordBytes, onBadRecord);
        }

        /** The Spark SQL train and (optional) test sources; empty for text and generated data. */
        public List<TableSource> tableSources() {
            SqlFormat sql = SqlFormat.of(format);
            if (sql == null) {
                return List.of();
            }
            List<TableSource> out = new ArrayList<>();
            boolean isTable = sql == SqlFormat.TABLE;
            out.add(new TableSource(sql, isTable ? table : path, where, options, isTable ? "data.table"
                    : "data.path"));
            String test = isTable ? testTable : testPath;
            if (test != null) {
                out.add(new TableSource(sql, test, where, options, isTable ? "data.testTable" : "data.testPath"));
            }
            return out;
        }
    }

    /** Generated Gaussian classes; see {@code io.concord.data.synthetic.GaussianClasses}. */
    public record Generate(Integer examples, Integer testExamples, Integer dimension, Integer classes,
                           Double separation, Double labelNoise) {
        /** The {@code data.generate:} keys. */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.integer("examples", 20_000, Rule.atLeast(1), "training examples"),
                Param.integer("testExamples", 2_000, Rule.atLeast(1), "held-out (clean) examples"),
                Param.integer("dimension", 20, Rule.atLeast(1), "feature dimension"),
                Param.integer("classes", 5, Rule.atLeast(2), "number of classes"),
                Param.real("separation", 3.0, Rule.POSITIVE, "scale of the class centres"),
                Param.real("labelNoise", 0.0, Rule.UNIT_OPEN, "share of training labels replaced at random"));

        public Generate {
            examples = PARAMS.integer("data.generate", "examples", examples);
            testExamples = PARAMS.integer("data.generate", "testExamples", testExamples);
            dimension = PARAMS.integer("data.generate", "dimension", dimension);
            classes = PARAMS.integer("data.generate", "classes", classes);
            separation = PARAMS.real("data.generate", "separation", separation);
            labelNoise = PARAMS.real("data.generate", "labelNoise", labelNoise);
        }
    }

    /**
     * @param type   {@code linear} (softmax regression, any Concord loss) or {@code mlp} (a DL4J network trained
     *               through the engine via the DL4J bridge)
     * @param hidden hidden units of the MLP
     * @param l2     L2 penalty (λ/2)‖W‖² of the linear model
     */
    public record ModelSection(String type, Integer hidden, Double l2) {
        /** The {@code model:} keys. */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.choice("type", "linear", List.of("linear", "mlp"), "linear (softmax regression) or mlp (DL4J)"),
                Param.integer("hidden", 32, Rule.atLeast(1), "hidden units of the MLP"),
                Param.real("l2", 0.0, Rule.NON_NEGATIVE, "L2 penalty (λ/2)‖W‖² of the linear model"));

        public ModelSection {
            type = PARAMS.choice("model", "type", type);
            hidden = PARAMS.integer("model", "hidden", hidden);
            l2 = PARAMS.real("model", "l2", l2);
        }
    }

}
