package io.concord.workload.logreg;

import io.concord.core.param.Checks;
import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.config.RecordReading;
import io.concord.config.SparkSection;
import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;
import io.concord.engine.EngineConfig;
import io.concord.job.EvalSection;
import io.concord.job.JobConfig;

/**
 * Config of the {@code logreg} job: multinomial classification (the engine's proving ground and the demo).
 */
public record LogRegConfig(Long seed, SparkSection spark, Data data, ModelSection model, ComponentSpec loss,
                           ComponentSpec optimizer, EngineConfig train, EvalSection eval) implements JobConfig {

    public LogRegConfig {
        seed = seed == null ? 42L : seed;
        spark = spark == null ? SparkSection.defaults() : spark;
        data = data == null ? new Data(null, null, null, null, null) : data;
        model = model == null ? new ModelSection(null, null, null) : model;
        optimizer = optimizer == null ? ComponentSpec.of("sgd", java.util.Map.of("lr", 0.5)) : optimizer;
        train = train == null ? EngineConfig.defaults() : train;
        eval = eval == null ? EvalSection.defaults() : eval;
    }

    /**
     * Training data: CSV files ({@code label,x1,…,xd}) at {@code path} on any Hadoop FileSystem, or generated
     * Gaussian classes ({@code generate}, the default).
     *
     * @param path     training CSV file or directory
     * @param testPath held-out CSV (default: generated clean examples, or the last 10% of {@code path})
     * @param generate parameters of the generated data
     * @param maxRecordBytes longest accepted CSV line in bytes (default 16 MiB)
     * @param onBadRecord    {@code fail} (default) or {@code skip} malformed lines
     */
    public record Data(String path, String testPath, Generate generate, Long maxRecordBytes,
                       OnBadRecord onBadRecord) {
        public Data {
            if (path != null && generate != null) {
                throw new ConfigException("data", "set either data.path or data.generate, not both");
            }
            if (path == null && generate == null) {
                generate = new Generate(null, null, null, null, null, null);
            }
            if (path != null && path.isBlank()) {
                throw new ConfigException("data.path", path, "a file or directory URI");
            }
            maxRecordBytes = RecordReading.maxRecordBytes(maxRecordBytes);
            onBadRecord = RecordReading.onBadRecord(onBadRecord);
        }

        public ReadOptions reading() {
            return new ReadOptions(maxRecordBytes, onBadRecord);
        }
    }

    /** Generated Gaussian classes; see {@code io.concord.data.synthetic.GaussianClasses}. */
    public record Generate(Integer examples, Integer testExamples, Integer dimension, Integer classes,
                           Double separation, Double labelNoise) {
        public Generate {
            examples = Checks.positive("data.generate.examples", examples, 20_000);
            testExamples = Checks.positive("data.generate.testExamples", testExamples, 2_000);
            dimension = Checks.positive("data.generate.dimension", dimension, 20);
            classes = classes == null ? 5 : classes;
            if (classes < 2) {
                throw new ConfigException("data.generate.classes", classes, "an integer >= 2");
            }
            separation = separation == null ? 3.0 : separation;
            if (!(separation > 0)) {
                throw new ConfigException("data.generate.separation", separation, "a number > 0");
            }
            labelNoise = labelNoise == null ? 0.0 : labelNoise;
            if (!(labelNoise >= 0 && labelNoise < 1)) {
                throw new ConfigException("data.generate.labelNoise", labelNoise, "a number in [0, 1)");
            }
        }
    }

    /**
     * @param type   {@code linear} (softmax regression, any Concord loss) or {@code mlp} (a DL4J network trained
     *               through the engine via the DL4J bridge)
     * @param hidden hidden units of the MLP
     * @param l2     L2 penalty (λ/2)‖W‖² of the linear model
     */
    public record ModelSection(String type, Integer hidden, Double l2) {
        public ModelSection {
            type = type == null ? "linear" : type;
            if (!type.equals("linear") && !type.equals("mlp")) {
                throw new ConfigException("model.type", type, "linear, mlp");
            }
            hidden = Checks.positive("model.hidden", hidden, 32);
            l2 = l2 == null ? 0.0 : l2;
            if (!(l2 >= 0)) {
                throw new ConfigException("model.l2", l2, "a number >= 0");
            }
        }
    }

}
