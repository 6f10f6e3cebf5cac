package io.concord.workload.moe;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.config.RecordReading;
import io.concord.config.SparkSection;
import io.concord.core.moe.BalanceMode;
import io.concord.core.moe.MoeConfig;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
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

    /** The top-level scalar key (docs/moe.md's table is generated from it; the other keys are sections). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.longInt("seed", 42L, "run seed (data generation, initialisation, batch order, held-out split)"));

    public MoeJobConfig {
        seed = PARAMS.longInt("", "seed", seed);
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
        /**
         * The numeric {@code data:} keys (docs/moe.md's table is generated from them with
         * {@link RecordReading#PARAMS}); the others name files, tables and the generator.
         */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.real("testFraction", 0.1, Rule.in(0, 1, false, false), "share of the records of data.paths "
                        + "(data.table) held out, by a seeded hash of file and record index, without data.testPaths "
                        + "(data.testTable)"),
                Param.integer("vocabSize", 0, new Rule("0 (infer) or an integer >= 2", v -> v == 0 || v >= 2),
                        "vocabulary of tokens records (ids must be below it); 0 = one more than the largest id "
                                + "seen; text records always use the 256 byte values"));

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
            testFraction = PARAMS.real("data", "testFraction", testFraction);
            vocabSize = PARAMS.integer("data", "vocabSize", vocabSize);
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
     * indices. The domain label is kept for analysis only. The keys of both kinds are {@link #PARAMS}; those of one
     * kind are {@link #TOKENS} and {@link #FEATURES}, and setting a key of the other kind is an error.
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

        private static final String SECTION = "data.generate";

        /** The {@code data.generate:} keys of both kinds (docs/moe.md's tables are generated from these three). */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.choice("kind", "tokens", List.of("tokens", "features"), "tokens (next-token prediction on "
                        + "per-domain Markov chains, TokenDomains) or features (classification, FeatureDomains)"),
                Param.integer("domains", 8, Rule.between(2, 64), "number of domains"),
                Param.integer("examples", 4000, Rule.atLeast(1), "training examples (sequences or feature vectors)"),
                Param.integer("testExamples", 800, Rule.atLeast(1),
                        "held-out examples (other indices of the same generator)"),
                Param.real("domainSkew", 0.5, Rule.NON_NEGATIVE,
                        "domain frequency ∝ 1/(d+1)^skew (0 = equally frequent)"));

        /** The keys of {@code kind: tokens}. */
        public static final ParamTable TOKENS = ParamTable.of(
                Param.optionalInteger("vocabSize", "sharedTokens + 24 × domains",
                        Rule.crossKey("at least sharedTokens + domains × successors"),
                        "vocabulary: the shared ids, then one block per domain"),
                Param.integer("sharedTokens", 8, Rule.atLeast(0), "ids common to all domains"),
                Param.integer("seqLength", 32, Rule.atLeast(2), "tokens per sequence (seqLength − 1 predictions)"),
                Param.integer("successors", 3, Rule.atLeast(1), "successors per token inside a domain's block"),
                Param.real("sharedRate", 0.15, Rule.UNIT_OPEN,
                        "probability of emitting a shared token (0 when sharedTokens is 0)"));

        /** The keys of {@code kind: features}. */
        public static final ParamTable FEATURES = ParamTable.of(
                Param.integer("dim", 16, Rule.atLeast(1), "input dimension"),
                Param.integer("classes", 4, Rule.atLeast(2), "number of classes"),
                Param.real("separation", 3.0, Rule.NON_NEGATIVE, "scale of the domain centres"));

        public Generate {
            kind = PARAMS.choice(SECTION, "kind", kind);
            domains = PARAMS.integer(SECTION, "domains", domains);
            examples = PARAMS.integer(SECTION, "examples", examples);
            testExamples = PARAMS.integer(SECTION, "testExamples", testExamples);
            domainSkew = PARAMS.real(SECTION, "domainSkew", domainSkew);
            // First whether each key applies to the kind, then the values of the kind's keys.
            dim = onlyFor("dim", dim, kind, "features");
            classes = onlyFor("classes", classes, kind, "features");
            separation = onlyFor("separation", separation, kind, "features");
            sharedTokens = onlyFor("sharedTokens", sharedTokens, kind, "tokens");
            vocabSize = onlyFor("vocabSize", vocabSize, kind, "tokens");
            seqLength = onlyFor("seqLength", seqLength, kind, "tokens");
            successors = onlyFor("successors", successors, kind, "tokens");
            sharedRate = onlyFor("sharedRate", sharedRate, kind, "tokens");
            if (kind.equals("tokens")) {
                sharedTokens = TOKENS.integer(SECTION, "sharedTokens", sharedTokens);
                vocabSize = TOKENS.integer(SECTION, "vocabSize", vocabSize, sharedTokens + domains * 24);
                seqLength = TOKENS.integer(SECTION, "seqLength", seqLength);
                successors = TOKENS.integer(SECTION, "successors", successors);
                if ((vocabSize - sharedTokens) / domains < successors) {
                    throw new ConfigException("data.generate.vocabSize", vocabSize, "at least data.generate."
                            + "sharedTokens + data.generate.domains × data.generate.successors = "
                            + (sharedTokens + (long) domains * successors));
                }
                sharedRate = TOKENS.real(SECTION, "sharedRate", sharedRate);
                if (sharedRate > 0 && sharedTokens == 0) {
                    throw new ConfigException("data.generate.sharedRate", sharedRate,
                            "0 when data.generate.sharedTokens is 0");
                }
            } else {
                dim = FEATURES.integer(SECTION, "dim", dim);
                classes = FEATURES.integer(SECTION, "classes", classes);
                separation = FEATURES.real(SECTION, "separation", separation);
            }
        }

        static Generate defaults() {
            return new Generate(null, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        public boolean tokens() {
            return kind.equals("tokens");
        }

        /** A key of one kind: an error when set for the other kind (whose value is then null). */
        private static <T> T onlyFor(String name, T value, String kind, String keyKind) {
            if (!kind.equals(keyKind)) {
                if (value != null) {
                    throw new ConfigException(SECTION + "." + name, "applies only to data.generate.kind: " + keyKind);
                }
                return null;
            }
            return value;
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
