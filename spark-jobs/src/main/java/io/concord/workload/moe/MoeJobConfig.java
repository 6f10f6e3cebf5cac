package io.concord.workload.moe;

import io.concord.core.param.Checks;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.config.RecordReading;
import io.concord.config.SparkSection;
import io.concord.core.moe.BalanceMode;
import io.concord.core.moe.MoeConfig;
import io.concord.core.param.ParamTable;
import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;
import io.concord.engine.EngineConfig;
import io.concord.engine.SyncMode;
import io.concord.job.EvalSection;
import io.concord.job.JobConfig;
import io.concord.workload.source.SequenceColumns;
import io.concord.workload.source.SqlFormat;
import io.concord.workload.source.SqlKeys;
import io.concord.workload.source.TableSource;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.io.Serializable;

/**
 * Config of the {@code moe} job: a Mixture-of-Experts network trained with micro-batch or global-batch
 * load balancing (Qiu et al., arXiv 2501.11873). Every validation message names its key.
 *
 * @param seed      run seed (data generation, initialisation, batch order, held-out split)
 * @param spark     Spark section
 * @param data      generated multi-domain data or JSONL files
 * @param model     network shape
 * @param moe       load balancing: mode, freshness of the global counts, loss coefficients
 * @param optimizer optimizer ({@code sgd}, {@code adam}, {@code adamw}; see {@code Components.optimizer})
 * @param train     engine section
 * @param eval      held-out evaluation every n rounds
 */
public record MoeJobConfig(Long seed, SparkSection spark, Data data, ModelSection model, MoeSection moe,
                           ComponentSpec optimizer, EngineConfig train, EvalSection eval) implements JobConfig {

    public MoeJobConfig {
        seed = seed == null ? 42L : seed;
        spark = spark == null ? SparkSection.defaults() : spark;
        data = data == null ? new Data(null, null, null, null, null, null, null, null, null, null, null, null, null)
                : data;
        model = model == null ? new ModelSection(null, null, null, null, null, null) : model;
        moe = moe == null ? new MoeSection(null, null, null, null) : moe;
        optimizer = optimizer == null ? ComponentSpec.of("adam", Map.of("lr", 0.005)) : optimizer;
        train = train == null ? EngineConfig.defaults() : train;
        eval = eval == null ? EvalSection.defaults() : eval;
        if (model.topK() > model.experts()) {
            throw new ConfigException("model.topK", model.topK(), "an integer in [1, model.experts="
                    + model.experts() + "]");
        }
        BalanceMode mode = moe.mode();
        if (mode == BalanceMode.GLOBAL_ONE_PASS && train.sync() != SyncMode.GLOBAL_BATCH) {
            throw new ConfigException("moe.freshness", "one-pass all-reduces the counts inside the single optimizer "
                    + "step of a round, so it needs train.sync: global-batch (use two-pass or running-buffer with "
                    + "parameter averaging)");
        }
        if (mode == BalanceMode.RUNNING_BUFFER && train.stepsPerRound() < 2) {
            throw new ConfigException("moe.freshness", "running-buffer accumulates counts over the local steps of "
                    + "a round, so it needs train.sync: parameter-averaging with train.localSteps >= 2 (with one "
                    + "step per round it is micro-batch balancing)");
        }
    }

    /**
     * Training data: generated multi-domain data ({@code generate}, the default) or JSON Lines files on any Hadoop
     * FileSystem ({@code {"features": […], "label": 3, "domain": "law"}}, {@code {"text": "…", "domain": …}} or
     * {@code {"tokens": […], "domain": …}}; see {@code io.concord.data.moe.MoeJsonlReader}).
     *
     * @param paths        JSONL files or directories (each directory: its visible files in name order)
     * @param testPaths    held-out JSONL files; default: a seeded {@code testFraction} of the records of
     *                     {@code paths}
     * @param testFraction share of the records held out when {@code testPaths} is absent, in (0, 1)
     * @param vocabSize    vocabulary of {@code tokens} records (ids must be below it); 0 = one more than the largest
     *                     id seen; {@code text} records always use the 256 byte values
     * @param generate     parameters of the generated data
     * @param maxRecordBytes longest accepted JSONL line in bytes (default 16 MiB)
     * @param onBadRecord    {@code fail} (default) or {@code skip} malformed records (and table rows)
     * @param format    {@code jsonl} (the default with {@code paths}) or a Spark SQL source: {@code parquet},
     *                  {@code orc}, {@code csv}, {@code json} (files at the one entry of {@code paths}) or
     *                  {@code table}; docs/data.md
     * @param table     training catalog table (implies {@code format: table})
     * @param testTable held-out catalog table; default: a seeded {@code testFraction} of {@code table}'s rows
     * @param where     SQL filter applied to the Spark SQL sources
     * @param columns   column mapping of the Spark SQL sources ({@link SequenceColumns})
     * @param options   Spark reader options of the file formats
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Data(List<String> paths, List<String> testPaths, Double testFraction, Integer vocabSize,
                       Generate generate, Long maxRecordBytes, OnBadRecord onBadRecord, String format, String table,
                       String testTable, String where, SequenceColumns columns, Map<String, String> options) {
        public Data {
            format = SqlKeys.formatOf(format, table);
            SqlFormat sql = keys(format, paths, testPaths, table, testTable, where, columns, options)
                    .check(List.of("jsonl"));
            if (sql != null) {
                columns = columns == null ? SequenceColumns.defaults() : columns;
                options = options == null ? null : Map.copyOf(options);
                for (Object[] kv : new Object[][] {{"data.paths", paths}, {"data.testPaths", testPaths}}) {
                    if (kv[1] != null && ((List<?>) kv[1]).size() != 1) {
                        throw new ConfigException((String) kv[0], kv[1], "one path (a directory or a glob) with "
                                + "data.format " + sql.key());
                    }
                }
            }
            if ((paths != null || table != null) && generate != null) {
                throw new ConfigException("data", "set either data.paths / data.table or data.generate, not both");
            }
            if (paths != null) {
                if (paths.isEmpty() || paths.stream().anyMatch(p -> p == null || p.isBlank())) {
                    throw new ConfigException("data.paths", paths, "a non-empty list of file or directory URIs");
                }
                paths = List.copyOf(paths);
            }
            if (testPaths != null || testTable != null) {
                if (paths == null && table == null) {
                    throw new ConfigException("data.testPaths", "needs data.paths (generated data has its own "
                            + "held-out set: data.generate.testExamples)");
                }
                if (testPaths != null && (testPaths.isEmpty()
                        || testPaths.stream().anyMatch(p -> p == null || p.isBlank()))) {
                    throw new ConfigException("data.testPaths", testPaths, "a non-empty list of file or "
                            + "directory URIs");
                }
                testPaths = testPaths == null ? null : List.copyOf(testPaths);
            }
            testFraction = testFraction == null ? 0.1 : testFraction;
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new ConfigException("data.testFraction", testFraction, "a number in (0, 1)");
            }
            vocabSize = vocabSize == null ? 0 : vocabSize;
            if (vocabSize < 0 || vocabSize == 1) {
                throw new ConfigException("data.vocabSize", vocabSize, "0 (infer) or an integer >= 2");
            }
            if (paths == null && table == null && generate == null) {
                generate = Generate.defaults();
            }
            maxRecordBytes = RecordReading.maxRecordBytes(maxRecordBytes);
            onBadRecord = RecordReading.onBadRecord(onBadRecord);
        }

        public boolean generated() {
            return generate != null;
        }

        public ReadOptions reading() {
            return new ReadOptions(maxRecordBytes, onBadRecord);
        }

        /** The Spark SQL train and (optional) held-out sources; empty for JSONL and generated data. */
        public List<TableSource> tableSources() {
            return keys(format, paths, testPaths, table, testTable, where, columns, options).sources();
        }

        private static SqlKeys keys(String format, List<String> paths, List<String> testPaths, String table,
                                    String testTable, String where, SequenceColumns columns,
                                    Map<String, String> options) {
            return new SqlKeys(format, "data.paths", first(paths), "data.testPaths", first(testPaths), table,
                    testTable, where, columns, options);
        }

        private static String first(List<String> paths) {
            return paths == null || paths.isEmpty() ? null : paths.get(0);
        }
    }

    /**
     * Generated multi-domain data ({@code io.concord.data.moe.TokenDomains} or {@code FeatureDomains}); example
     * {@code i} is a pure function of (seed, i), held-out examples are drawn from the same domains at other
     * indices. The domain label is kept for analysis only.
     *
     * @param kind         {@code tokens} (next-token prediction on per-domain Markov chains) or {@code features}
     *                     (classification with per-domain input distributions and labelling rules)
     * @param domains      number of domains, 2..64
     * @param examples     training examples (sequences or feature vectors)
     * @param testExamples held-out examples
     * @param domainSkew   domain frequency ∝ 1/(d+1)^skew (0 = equally frequent)
     * @param dim          features: input dimension
     * @param classes      features: number of classes
     * @param separation   features: scale of the domain centres
     * @param vocabSize    tokens: vocabulary (shared ids plus one block per domain)
     * @param sharedTokens tokens: ids common to all domains
     * @param seqLength    tokens: tokens per sequence (seqLength − 1 predictions)
     * @param successors   tokens: successors per token inside a domain's block
     * @param sharedRate   tokens: probability of emitting a shared token
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Generate(String kind, Integer domains, Integer examples, Integer testExamples, Double domainSkew,
                           Integer dim, Integer classes, Double separation, Integer vocabSize, Integer sharedTokens,
                           Integer seqLength, Integer successors, Double sharedRate) implements Serializable {
        public Generate {
            kind = kind == null ? "tokens" : kind.trim().toLowerCase(Locale.ROOT);
            if (!kind.equals("tokens") && !kind.equals("features")) {
                throw new ConfigException("data.generate.kind", kind, "tokens, features");
            }
            domains = Checks.inRange("data.generate.domains", domains, 8, 2, 64);
            examples = Checks.inRange("data.generate.examples", examples, 4000, 1, Integer.MAX_VALUE);
            testExamples = Checks.inRange("data.generate.testExamples", testExamples, 800, 1, Integer.MAX_VALUE);
            domainSkew = Checks.nonNegative("data.generate.domainSkew", domainSkew, 0.5);
            boolean tokens = kind.equals("tokens");
            dim = onlyFor("data.generate.dim", dim, kind, "features", 16);
            classes = onlyFor("data.generate.classes", classes, kind, "features", 4);
            separation = onlyFor("data.generate.separation", separation, kind, "features", 3.0);
            sharedTokens = onlyFor("data.generate.sharedTokens", sharedTokens, kind, "tokens", 8);
            vocabSize = onlyFor("data.generate.vocabSize", vocabSize, kind, "tokens",
                    sharedTokens == null ? 0 : sharedTokens + domains * 24);
            seqLength = onlyFor("data.generate.seqLength", seqLength, kind, "tokens", 32);
            successors = onlyFor("data.generate.successors", successors, kind, "tokens", 3);
            sharedRate = onlyFor("data.generate.sharedRate", sharedRate, kind, "tokens", 0.15);
            if (tokens) {
                Checks.inRange("data.generate.sharedTokens", sharedTokens, 0, 0, Integer.MAX_VALUE);
                Checks.inRange("data.generate.seqLength", seqLength, 0, 2, Integer.MAX_VALUE);
                Checks.inRange("data.generate.successors", successors, 0, 1, Integer.MAX_VALUE);
                int block = (vocabSize - sharedTokens) / domains;
                if (block < successors) {
                    throw new ConfigException("data.generate.vocabSize", vocabSize, "at least data.generate."
                            + "sharedTokens + data.generate.domains × data.generate.successors = "
                            + (sharedTokens + (long) domains * successors));
                }
                if (!(sharedRate >= 0 && sharedRate < 1)) {
                    throw new ConfigException("data.generate.sharedRate", sharedRate, "a number in [0, 1)");
                }
                if (sharedRate > 0 && sharedTokens == 0) {
                    throw new ConfigException("data.generate.sharedRate", sharedRate,
                            "0 when data.generate.sharedTokens is 0");
                }
            } else {
                Checks.inRange("data.generate.dim", dim, 0, 1, Integer.MAX_VALUE);
                Checks.inRange("data.generate.classes", classes, 0, 2, Integer.MAX_VALUE);
                Checks.nonNegative("data.generate.separation", separation, 0.0);
            }
        }

        static Generate defaults() {
            return new Generate(null, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        public boolean tokens() {
            return kind.equals("tokens");
        }

        /** A key of one kind: its default when unset, an error when set for the other kind, else null. */
        private static <T> T onlyFor(String key, T value, String kind, String keyKind, T defaultValue) {
            if (!kind.equals(keyKind)) {
                if (value != null) {
                    throw new ConfigException(key, "applies only to data.generate.kind: " + keyKind);
                }
                return null;
            }
            return value == null ? defaultValue : value;
        }
    }

    /**
     * Shape of the network ({@code io.concord.core.moe.MoeModel}); the input size, classes or vocabulary come from
     * the data.
     *
     * @param modelDim           width d of the residual stream
     * @param layers             number of MoE layers
     * @param experts            routed experts N_E per layer
     * @param topK               experts selected per token, 1 ≤ K ≤ N_E
     * @param expertHidden       hidden width of each routed expert's MLP
     * @param sharedExpertHidden hidden width of an always-on shared expert, 0 = none
     */
    public record ModelSection(Integer modelDim, Integer layers, Integer experts, Integer topK, Integer expertHidden,
                               Integer sharedExpertHidden) {
        /**
         * The {@code model:} keys (docs/moe.md's table is tested against them), declared with the network they
         * shape: {@link MoeConfig#MODEL_PARAMS}.
         */
        public static final ParamTable PARAMS = MoeConfig.MODEL_PARAMS;

        public ModelSection {
            modelDim = PARAMS.integer("model", "modelDim", modelDim);
            layers = PARAMS.integer("model", "layers", layers);
            experts = PARAMS.integer("model", "experts", experts);
            topK = PARAMS.integer("model", "topK", topK);
            expertHidden = PARAMS.integer("model", "expertHidden", expertHidden);
            sharedExpertHidden = PARAMS.integer("model", "sharedExpertHidden", sharedExpertHidden);
        }
    }

    /**
     * Load balancing.
     *
     * @param balance    {@code micro} (each partition's minibatch balances itself) or {@code global} (the expert
     *                   counts of every partition of the round are merged before the loss)
     * @param freshness  for {@code global}: {@code two-pass} (exact; a forward-only counting pass first),
     *                   {@code one-pass} (exact; the counts are all-reduced inside the loss pass with
     *                   {@code train.transport: allreduce}, computed by a counting pass first on the driver transport),
     *                   {@code stale-by-one-round} (the previous round's merged counts) or {@code running-buffer}
     *                   (counts of this partition's local steps so far; parameter averaging); must be unset for
     *                   {@code micro}
     * @param lblCoeff   load-balancing loss weight (paper: 0.008)
     * @param zLossCoeff router z-loss weight (0 = off)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MoeSection(String balance, String freshness, Double lblCoeff, Double zLossCoeff) {
        /**
         * The {@code moe:} keys (docs/moe.md's table is tested against them), declared with the network:
         * {@link MoeConfig#MOE_PARAMS}.
         */
        public static final ParamTable PARAMS = MoeConfig.MOE_PARAMS;

        public MoeSection {
            balance = PARAMS.choice("moe", "balance", balance);
            if (balance.equals("micro") && freshness != null) {
                throw new ConfigException("moe.freshness", freshness, "unset with moe.balance: micro (freshness "
                        + "applies to global balancing)");
            }
            if (balance.equals("global")) {
                freshness = PARAMS.choice("moe", "freshness", freshness);
            }
            lblCoeff = PARAMS.real("moe", "lblCoeff", lblCoeff);
            zLossCoeff = PARAMS.real("moe", "zLossCoeff", zLossCoeff);
        }

        public BalanceMode mode() {
            return BalanceMode.parse(balance, freshness);
        }
    }


}
