package io.concord.workload.calib;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.config.RecordReading;
import io.concord.config.SparkSection;
import io.concord.core.calib.CalibNetConfig;
import io.concord.core.calib.CalibParam;
import io.concord.core.calib.SupervisedPenalty;
import io.concord.core.calib.UgclLossConfig;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;
import io.concord.data.calib.StereoRigConfig;
import io.concord.data.io.OnBadRecord;
import io.concord.engine.EngineConfig;
import io.concord.engine.SyncMode;
import io.concord.job.EvalSection;
import io.concord.job.JobConfig;
import io.concord.workload.source.ImagePairColumns;
import io.concord.workload.source.SqlFormat;
import io.concord.workload.source.SqlKeys;
import io.concord.workload.source.TableSource;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Objects;

/**
 * Config of the {@code calib} job: image-pair camera calibration with the UGCL geometric-constraint loss. Every
 * validation message names its key.
 *
 * @param seed      run seed (initialisation, batch order, held-out split of existing data; the generator's seed
 *                  when {@code data.generate.seed} is unset)
 * @param spark     Spark section
 * @param data      generated stereo pairs (written as shards to a Hadoop FileSystem path) or existing shards
 * @param model     the CNN ({@link io.concord.core.calib.CalibNetwork})
 * @param loss      supervised penalty and UGCL constraint weights ({@link UgclLossConfig})
 * @param optimizer optimizer by name (see {@code Components.optimizer}); default {@code adam}, lr 0.001
 * @param lrDecay   optional step decay of the learning rate (null = constant)
 * @param train     engine section; {@code sync} defaults to {@code parameter-averaging} in this job
 * @param eval      held-out evaluation every n rounds; default metric {@code relativeMae} (lower is better)
 */
public record CalibJobConfig(Long seed, SparkSection spark, Data data, ModelSection model, LossSection loss,
                             ComponentSpec optimizer, LrDecay lrDecay,
                             @JsonDeserialize(using = TrainDefaults.class) EngineConfig train,
                             EvalSection eval) implements JobConfig {

    /** Metric names the evaluation reports (see {@link CalibEvaluator}). */
    static final String RELATIVE_MAE = "relativeMae";

    /** The top-level scalar key (the others are sections). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.longInt("seed", 42L, "run seed (initialisation, batch order, held-out split of existing data; "
                    + "the generator's seed when data.generate.seed is unset)"));

    public CalibJobConfig {
        seed = PARAMS.longInt("", "seed", seed);
        spark = spark == null ? SparkSection.defaults() : spark;
        data = data == null ? Data.generated(null) : data;
        if (data.generate() != null && data.generate().seed() == null) {
            data = Data.generated(data.generate().withSeed(seed));
        }
        model = model == null ? new ModelSection(null, null, null, null) : model;
        loss = loss == null ? new LossSection(null, null, null, null, null, null, null, null) : loss;
        optimizer = optimizer == null ? ComponentSpec.of("adam", Map.of("lr", 0.001)) : optimizer;
        train = train == null ? EngineConfig.defaults().withSync(SyncMode.PARAMETER_AVERAGING, 1) : train;
        eval = eval == null ? new EvalSection(null, RELATIVE_MAE, "min", null) : eval;
    }

    /**
     * Training data: existing shards ({@code path}, a directory written by {@code StereoDataset} with its
     * {@code _MANIFEST}), a Spark SQL source of image pairs ({@code format}; {@code docs/data.md}) or generated pairs
     * ({@code generate}, the default), which are first written as shards.
     *
     * @param path         training dataset directory (any Hadoop URI): shards, or files of the Spark SQL format
     * @param testPath     held-out dataset directory; default: a seeded {@code testFraction} of {@code path}'s records
     * @param testFraction share of {@code path}'s (or {@code table}'s) records held out (by a hash of the record id)
     *                     without testPath / testTable
     * @param generate     the generator
     * @param format       {@code shards} (the default with {@code path}) or {@code parquet}, {@code orc}, {@code csv},
     *                     {@code json}, {@code table} ({@link io.concord.workload.source.SqlKeys})
     * @param table        training catalog table (implies {@code format: table})
     * @param testTable    held-out catalog table
     * @param where        SQL filter applied to the Spark SQL sources
     * @param columns      column mapping of the Spark SQL sources ({@link ImagePairColumns})
     * @param options      Spark reader options of the file formats
     * @param onBadRecord  table rows: {@code fail} (default) or {@code skip}; shard records always fail (checksummed)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Data(String path, String testPath, Double testFraction, Generate generate, String format,
                       String table, String testTable, String where, ImagePairColumns columns,
                       Map<String, String> options, OnBadRecord onBadRecord) {
        /** The numeric {@code data:} keys (the others are paths, names and the generator). */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.real("testFraction", 0.1, Rule.in(0, 1, false, false), "share of data.path's (data.table's) "
                        + "records held out, by a hash of the record id, without data.testPath (data.testTable)"));

        public Data {
            format = SqlKeys.formatOf(format, table);
            SqlFormat sql = keys(format, path, testPath, table, testTable, where, columns, options)
                    .check(List.of("shards"));
            columns = sql == null ? columns : columns == null ? ImagePairColumns.defaults() : columns;
            onBadRecord = RecordReading.onBadRecord(onBadRecord);
            if (sql == null && onBadRecord != OnBadRecord.FAIL) {
                throw new ConfigException("data.onBadRecord", onBadRecord, "fail (shard records are checksummed; "
                        + "skip applies to the Spark SQL sources)");
            }
            boolean given = path != null || table != null;
            if (given && generate != null) {
                throw new ConfigException("data", "set either data.path / data.table or data.generate, not both");
            }
            if (path != null && path.isBlank()) {
                throw new ConfigException("data.path", path, "a dataset directory URI");
            }
            if (testPath != null && path == null) {
                throw new ConfigException("data.testPath", "needs data.path (generated data has its own held-out "
                        + "split: data.generate.testExamples)");
            }
            boolean share = given && testPath == null && testTable == null;
            if (testFraction != null && !share) {
                throw new ConfigException("data.testFraction", "applies only to data.path (data.table) without "
                        + "data.testPath (data.testTable)");
            }
            if (share) {
                testFraction = PARAMS.real("data", "testFraction", testFraction);
            }
            if (!given) {
                generate = generate == null ? Generate.defaults() : generate;
            }
        }

        static Data generated(Generate generate) {
            return new Data(null, null, null, generate, null, null, null, null, null, null, null);
        }

        /** The Spark SQL train and (optional) held-out sources; empty for shards and generated data. */
        public List<TableSource> tableSources() {
            return keys(format, path, testPath, table, testTable, where, columns, options).sources();
        }

        private static SqlKeys keys(String format, String path, String testPath, String table, String testTable,
                                    String where, ImagePairColumns columns, Map<String, String> options) {
            return new SqlKeys(format, "data.path", path, "data.testPath", testPath, table, testTable, where,
                    columns, options);
        }
    }

    /**
     * Generated stereo pairs ({@link io.concord.data.calib.StereoPairGenerator}; example i is a pure function of
     * (seed, i)), written as shards of {@code recordsPerShard} records to {@code path}/train and {@code path}/test.
     * Angles in degrees, lengths in metres; the generator keys and their defaults (CVGL's ranges) are
     * {@link StereoRigConfig#PARAMS}.
     *
     * @param path            where the shards go (any Hadoop URI); default: {@code data/} inside the run directory.
     *                        A directory written earlier with the same generator settings is reused as is
     * @param seed            generator seed; default: the run seed
     * @param examples        training pairs
     * @param testExamples    held-out pairs (indices far beyond the training ones: different camera configurations)
     * @param recordsPerShard records per shard file (one generation task per shard)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Generate(String path, Long seed, Integer examples, Integer testExamples, Integer recordsPerShard,
                           Integer width, Integer height, Double fovMin, Double fovMax, Double principalPointJitter,
                           Double txMin, Double txMax, Double tyMin, Double tyMax, Double tzMin, Double tzMax,
                           Double pitchMin, Double pitchMax, Double leftPitchMin, Double leftPitchMax,
                           Double cameraHeightMin, Double cameraHeightMax, Integer framesPerConfiguration,
                           Integer supersampling, Double noiseStd) {
        /**
         * The {@code data.generate:} keys of the job (the size of the generated data); the generator's own keys are
         * {@link StereoRigConfig#PARAMS}.
         */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.integer("examples", 2000, Rule.atLeast(1), "training pairs"),
                Param.integer("testExamples", 400, Rule.atLeast(1),
                        "held-out pairs (indices far beyond the training ones: other camera configurations)"),
                Param.integer("recordsPerShard", 250, Rule.atLeast(1),
                        "records per shard file (one generation task per shard)"));

        private static final String SECTION = "data.generate";

        public Generate {
            if (path != null && path.isBlank()) {
                throw new ConfigException("data.generate.path", path, "a directory URI");
            }
            examples = PARAMS.integer(SECTION, "examples", examples);
            testExamples = PARAMS.integer(SECTION, "testExamples", testExamples);
            recordsPerShard = PARAMS.integer(SECTION, "recordsPerShard", recordsPerShard);
            ParamTable rig = StereoRigConfig.PARAMS;
            width = rig.integer(SECTION, "width", width);
            height = rig.integer(SECTION, "height", height, width);
            fovMin = rig.real(SECTION, "fovMin", fovMin);
            fovMax = rig.real(SECTION, "fovMax", fovMax);
            principalPointJitter = rig.real(SECTION, "principalPointJitter", principalPointJitter);
            txMin = rig.real(SECTION, "txMin", txMin);
            txMax = rig.real(SECTION, "txMax", txMax);
            tyMin = rig.real(SECTION, "tyMin", tyMin);
            tyMax = rig.real(SECTION, "tyMax", tyMax);
            tzMin = rig.real(SECTION, "tzMin", tzMin);
            tzMax = rig.real(SECTION, "tzMax", tzMax);
            pitchMin = rig.real(SECTION, "pitchMin", pitchMin);
            pitchMax = rig.real(SECTION, "pitchMax", pitchMax);
            leftPitchMin = rig.real(SECTION, "leftPitchMin", leftPitchMin);
            leftPitchMax = rig.real(SECTION, "leftPitchMax", leftPitchMax);
            cameraHeightMin = rig.real(SECTION, "cameraHeightMin", cameraHeightMin);
            cameraHeightMax = rig.real(SECTION, "cameraHeightMax", cameraHeightMax);
            framesPerConfiguration = rig.integer(SECTION, "framesPerConfiguration", framesPerConfiguration);
            supersampling = rig.integer(SECTION, "supersampling", supersampling);
            noiseStd = rig.real(SECTION, "noiseStd", noiseStd);
            // The cross-key rules (min <= max, the horizon in view).
            rigOf(width, height, fovMin, fovMax, principalPointJitter, txMin, txMax, tyMin, tyMax, tzMin, tzMax,
                    pitchMin, pitchMax, leftPitchMin, leftPitchMax, cameraHeightMin, cameraHeightMax,
                    framesPerConfiguration, supersampling, noiseStd);
        }

        static Generate defaults() {
            return new Generate(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null);
        }

        Generate withSeed(long s) {
            return new Generate(path, s, examples, testExamples, recordsPerShard, width, height, fovMin, fovMax,
                    principalPointJitter, txMin, txMax, tyMin, tyMax, tzMin, tzMax, pitchMin, pitchMax, leftPitchMin,
                    leftPitchMax, cameraHeightMin, cameraHeightMax, framesPerConfiguration, supersampling, noiseStd);
        }

        /** The generator's ranges. */
        public StereoRigConfig rig() {
            return rigOf(width, height, fovMin, fovMax, principalPointJitter, txMin, txMax, tyMin, tyMax, tzMin,
                    tzMax, pitchMin, pitchMax, leftPitchMin, leftPitchMax, cameraHeightMin, cameraHeightMax,
                    framesPerConfiguration, supersampling, noiseStd);
        }

        private static StereoRigConfig rigOf(int width, int height, double fovMin, double fovMax, double ppj,
                                             double txMin, double txMax, double tyMin, double tyMax, double tzMin,
                                             double tzMax, double pitchMin, double pitchMax, double leftPitchMin,
                                             double leftPitchMax, double hMin, double hMax, int frames,
                                             int supersampling, double noise) {
            try {
                return new StereoRigConfig(width, height, fovMin, fovMax, ppj, txMin, txMax, tyMin, tyMax, tzMin,
                        tzMax, pitchMin, pitchMax, leftPitchMin, leftPitchMax, hMin, hMax, frames, supersampling,
                        noise);
            } catch (IllegalArgumentException e) {
                throw ConfigException.from(e, "data.generate");
            }
        }
    }

    /**
     * The CNN ({@link CalibNetConfig}); image size comes from the data.
     *
     * @param fusion       {@code stacked} (one tower over both views' six channels) or {@code two_towers}
     * @param convChannels output channels of the stride-2 convolutions
     * @param denseUnits   width of the fully connected layer
     * @param dataType     {@code float} or {@code double}
     */
    public record ModelSection(String fusion, List<Integer> convChannels, Integer denseUnits, String dataType) {
        /** The {@code model:} keys, declared with the network: {@link CalibNetConfig#PARAMS}. */
        public static final ParamTable PARAMS = CalibNetConfig.PARAMS;

        public ModelSection {
            fusion = PARAMS.choice("model", "fusion", fusion);
            convChannels = convChannels == null ? CalibNetConfig.defaultConvChannels()
                    : Collections.unmodifiableList(new ArrayList<>(convChannels));
            denseUnits = PARAMS.integer("model", "denseUnits", denseUnits);
            dataType = PARAMS.choice("model", "dataType", dataType);
            network(fusion, convChannels, denseUnits, dataType, 8, 8, 0L);
        }

        /**
         * The network for {@code width × height} views. {@code CalibNetConfig.learningRate} only configures DL4J's
         * own updater (used by the DL4J comparison), never the Concord engine's optimizer.
         */
        public CalibNetConfig network(int width, int height, long seed) {
            return network(fusion, convChannels, denseUnits, dataType, width, height, seed);
        }

        private static CalibNetConfig network(String fusion, List<Integer> convChannels, int denseUnits,
                                              String dataType, int width, int height, long seed) {
            if (convChannels.stream().anyMatch(Objects::isNull)) {
                throw new ConfigException("model.convChannels", convChannels, "a list of integers > 0");
            }
            try {
                return new CalibNetConfig(height, width, 3, CalibNetConfig.fusionOf(fusion),
                        convChannels.stream().mapToInt(Integer::intValue).toArray(), denseUnits,
                        CalibNetConfig.dataTypeOf(dataType), 1e-3, seed);
            } catch (IllegalArgumentException e) {
                throw ConfigException.from(e, "model");
            }
        }
    }

    /**
     * The calibration loss ({@link UgclLossConfig}): supervised penalty on normalized parameters plus the
     * geometric constraint terms, each with its own weight (0 switches a term off).
     *
     * @param supervisedWeights    per-parameter weights by key (fx, fy, px, py, b, d, tx, ty, tz, theta); missing = 1
     * @param penalty              {@code l1} (the reference's MAE), {@code l2} or {@code huber}
     * @param huberDelta           δ of the Huber penalty, normalized units
     * @param vanishingPointWeight vanishing points of the forward and up axes
     * @param worldOriginWeight    image of the world origin
     * @param axisPlaneWeight      the two axis planes (rows 0 and 1 of P)
     * @param rotationWeight       rotation orthonormality (identically satisfied by the one-angle rotation: inert)
     * @param constraintSmoothing  Charbonnier δ of the homogeneous distances
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LossSection(Map<String, Double> supervisedWeights, String penalty, Double huberDelta,
                              Double vanishingPointWeight, Double worldOriginWeight, Double axisPlaneWeight,
                              Double rotationWeight, Double constraintSmoothing) {
        /** The {@code loss:} keys, declared with the loss: {@link UgclLossConfig#PARAMS}. */
        public static final ParamTable PARAMS = UgclLossConfig.PARAMS;

        /** The {@code loss.supervisedWeights:} keys: {@link UgclLossConfig#SUPERVISED_WEIGHTS}. */
        public static final ParamTable WEIGHTS = UgclLossConfig.SUPERVISED_WEIGHTS;

        private static final String SECTION = "loss";

        public LossSection {
            Map<String, Double> weights = new LinkedHashMap<>();
            for (CalibParam p : CalibParam.values()) {
                weights.put(p.key(), WEIGHTS.real("loss.supervisedWeights", p.key(), null));
            }
            if (supervisedWeights != null) {
                for (Map.Entry<String, Double> e : supervisedWeights.entrySet()) {
                    if (!weights.containsKey(e.getKey())) {
                        throw new ConfigException("loss.supervisedWeights." + e.getKey(), "unknown camera parameter; "
                                + "allowed keys: " + String.join(", ", weights.keySet()));
                    }
                    if (e.getValue() == null) {
                        throw new ConfigException("loss.supervisedWeights." + e.getKey(), null, "a number >= 0");
                    }
                    weights.put(e.getKey(), WEIGHTS.real("loss.supervisedWeights", e.getKey(), e.getValue()));
                }
            }
            supervisedWeights = weights;
            penalty = PARAMS.choice(SECTION, "penalty", penalty);
            huberDelta = PARAMS.real(SECTION, "huberDelta", huberDelta);
            vanishingPointWeight = PARAMS.real(SECTION, "vanishingPointWeight", vanishingPointWeight);
            worldOriginWeight = PARAMS.real(SECTION, "worldOriginWeight", worldOriginWeight);
            axisPlaneWeight = PARAMS.real(SECTION, "axisPlaneWeight", axisPlaneWeight);
            rotationWeight = PARAMS.real(SECTION, "rotationWeight", rotationWeight);
            constraintSmoothing = PARAMS.real(SECTION, "constraintSmoothing", constraintSmoothing);
            config(supervisedWeights, penalty, huberDelta, vanishingPointWeight, worldOriginWeight, axisPlaneWeight,
                    rotationWeight, constraintSmoothing, 8, 8);
        }

        /** The loss for images of {@code width × height} pixels (they condition the projection matrix). */
        public UgclLossConfig config(int width, int height) {
            return config(supervisedWeights, penalty, huberDelta, vanishingPointWeight, worldOriginWeight,
                    axisPlaneWeight, rotationWeight, constraintSmoothing, width, height);
        }

        private static UgclLossConfig config(Map<String, Double> supervisedWeights, String penalty, double huberDelta,
                                             double vp, double wo, double ap, double rot, double smoothing,
                                             int width, int height) {
            double[] w = new double[CalibParam.COUNT];
            for (CalibParam p : CalibParam.values()) {
                w[p.index()] = supervisedWeights.get(p.key());
            }
            try {
                return new UgclLossConfig(w, SupervisedPenalty.ofName("loss.penalty", penalty), huberDelta, vp, wo,
                        ap, rot, smoothing, width, height);
            } catch (IllegalArgumentException e) {
                throw ConfigException.from(e, "loss");
            }
        }

        /** Whether any constraint term is on. */
        public boolean constrained() {
            return vanishingPointWeight > 0 || worldOriginWeight > 0 || axisPlaneWeight > 0 || rotationWeight > 0;
        }
    }

    /**
     * Step decay of the learning rate: after {@code at × (all optimizer steps)} steps the rate is multiplied by
     * {@code factor} (so the final parameters are not one noisy point of a constant-rate run).
     *
     * @param at     fraction of the run at which the rate drops, in (0, 1)
     * @param factor multiplier, in (0, 1]
     */
    public record LrDecay(Double at, Double factor) {
        /** The {@code lrDecay:} keys. */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.real("at", 0.75, Rule.in(0, 1, false, false), "fraction of the run at which the rate drops"),
                Param.real("factor", 0.1, Rule.FRACTION, "multiplier of the rate"));

        public LrDecay {
            at = PARAMS.real("lrDecay", "at", at);
            factor = PARAMS.real("lrDecay", "factor", factor);
        }
    }

    /** Binds the {@code train:} section with {@code sync: parameter-averaging} unless the config names a mode. */
    static final class TrainDefaults extends JsonDeserializer<EngineConfig> {
        @Override
        public EngineConfig deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = ctxt.readTree(p);
            if (node instanceof ObjectNode object && (!object.has("sync") || object.get("sync").isNull())) {
                object.put("sync", SyncMode.PARAMETER_AVERAGING.configName());
            }
            return ctxt.readTreeAsValue(node, EngineConfig.class);
        }
    }


    static List<String> metricNames() {
        List<String> names = new ArrayList<>();
        names.add(RELATIVE_MAE);
        Arrays.stream(CalibParam.values()).forEach(p -> names.add("mae." + p.key()));
        return names;
    }
}
