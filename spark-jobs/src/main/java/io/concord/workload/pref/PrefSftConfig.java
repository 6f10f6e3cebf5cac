package io.concord.workload.pref;

import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.config.RecordReading;
import io.concord.config.SparkSection;
import io.concord.data.io.OnBadRecord;
import io.concord.data.io.ReadOptions;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;
import io.concord.engine.EngineConfig;
import io.concord.job.EvalSection;
import io.concord.job.JobConfig;
import io.concord.workload.source.PairColumns;
import io.concord.workload.source.SqlKeys;
import io.concord.workload.source.TableSource;
import io.concord.workload.source.TofuColumns;
import io.concord.workload.source.TofuTables;

import java.util.List;
import java.util.Map;

/**
 * Config of {@code pref-sft}: supervised fine-tuning (token-mean NLL of the completion, prompt masked) of the GRU
 * language model on prompt/completion records.
 *
 * @param arithmetic the generated task (source {@code arithmetic})
 * @param init       optional starting point (a previous run, parameter file or soup); default: random initialisation
 */
public record PrefSftConfig(Long seed, SparkSection spark, Data data, ArithmeticSection arithmetic, ModelSection model,
                            ParamsSource init, ComponentSpec optimizer, EngineConfig train, EvalSection eval)
        implements JobConfig {

    /** The top-level scalar key (the others are sections). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.longInt("seed", 42L, "run seed (initialisation, batch order)"));

    public PrefSftConfig {
        seed = PARAMS.longInt("", "seed", seed);
        spark = spark == null ? SparkSection.defaults() : spark;
        data = data == null ? new Data(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null) : data;
        arithmetic = arithmetic == null ? ArithmeticSection.defaults() : arithmetic;
        model = model == null ? ModelSection.defaults() : model;
        if (init != null) {
            init.validated("init");
        }
        optimizer = optimizer == null ? ComponentSpec.of("adam", Map.of("lr", 3e-3)) : optimizer;
        train = train == null ? EngineConfig.defaults() : train;
        eval = eval == null ? EvalSection.defaults() : eval;
    }

    /**
     * @param source              {@code arithmetic} (generated questions → worked solutions), {@code tofu} (TOFU
     *                            question → answer) or {@code pairs} (prompt → chosen completion of a pairs file)
     * @param path                TOFU folder (tofu) or pairs JSONL file/folder (pairs); with a Spark SQL format the
     *                            files of the format (tofu: a template with {@code {split}}, else {@code
     *                            <path>/<split>}; {@link TofuTables})
     * @param splits              TOFU splits to train on; default forget10 + retain90 (all 4,000 QA pairs)
     * @param heldOutFraction     pairs: share of prompts held out (by a hash of the prompt text, the same split
     *                            {@code pref-align} uses)
     * @param maxPromptTokens     prompt budget (the LAST tokens are kept)
     * @param maxCompletionTokens completion budget (the FIRST tokens are kept)
     * @param maxCharacters       vocabulary size cap when building it from the training texts
     * @param vocabulary          an existing vocabulary file to use instead of building one (e.g. to soup two runs)
     * @param evalExamples        tofu: training records evaluated (log-likelihood, greedy ROUGE-L)
     * @param generate            tofu: also evaluate greedy answers (ROUGE-L); costs a decode per record
     * @param maxRecordBytes      longest accepted line in bytes (default 16 MiB)
     * @param onBadRecord         {@code fail} (default) or {@code skip} bad records
     * @param format              pairs, tofu: {@code jsonl} (the default) or a Spark SQL source: {@code parquet},
     *                            {@code orc}, {@code csv}, {@code json} (files at {@code path}) or {@code table};
     *                            docs/data.md
     * @param table               pairs: a catalog table; tofu: a table name with {@code {split}}, one table per
     *                            split (implies {@code format: table})
     * @param where               SQL filter applied to the Spark SQL source (every split's)
     * @param columns             column mapping of the Spark SQL source ({@link SftColumns})
     * @param options             Spark reader options of the file formats
     */
    public record Data(String source, String path, List<String> splits, Double heldOutFraction,
                       Integer maxPromptTokens, Integer maxCompletionTokens, Integer maxCharacters, String vocabulary,
                       Integer evalExamples, Boolean generate, Long maxRecordBytes, OnBadRecord onBadRecord,
                       String format, String table, String where, SftColumns columns, Map<String, String> options) {
        /**
         * The scalar {@code data:} keys of pref-sft (docs/preference.md's table is generated from them); the paths,
         * {@code splits} (default forget10 + retain90) and the Spark SQL keys are not numbers or choices.
         */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.choice("source", "arithmetic", List.of("arithmetic", "tofu", "pairs"),
                        "generated questions, TOFU question → answer, or prompt → chosen of a pairs file"),
                Param.real("heldOutFraction", 0.15, Rule.UNIT_OPEN,
                        "pairs: share of prompts held out (a hash of the prompt text; the split of pref-align)"),
                Param.integer("maxPromptTokens", 64, Rule.atLeast(0), "prompt budget (the last tokens are kept)"),
                Param.integer("maxCompletionTokens", 96, Rule.atLeast(1),
                        "completion budget (the first tokens are kept)"),
                Param.integer("maxCharacters", 160, Rule.atLeast(1),
                        "vocabulary size cap when building it from the training texts"),
                Param.integer("evalExamples", 100, Rule.atLeast(1),
                        "tofu: training records evaluated (log-likelihood, greedy ROUGE-L)"),
                Param.bool("generate", true, "tofu: also evaluate greedy answers (ROUGE-L)"));

        public Data {
            source = PARAMS.choice("data", "source", source);
            format = SqlKeys.formatOf(format, table);
            if (source.equals("arithmetic")) {
                for (Object[] kv : new Object[][] {{"data.format", format}, {"data.table", table},
                        {"data.where", where}, {"data.columns", columns}, {"data.options", options}}) {
                    if (kv[1] != null) {
                        throw new ConfigException((String) kv[0], "applies to data.source: pairs and tofu only");
                    }
                }
            }
            boolean tofu = source.equals("tofu");
            if (columns != null && !source.equals("arithmetic")) {
                columns.check(tofu);
            }
            SqlKeys keys = new SqlKeys(format, "data.path", path, null, null, table, null, where, columns, options);
            if (!source.equals("arithmetic") && (tofu ? TofuTables.check(keys) : keys.check(List.of("jsonl")))
                    != null) {
                columns = columns == null ? SftColumns.defaults(tofu) : columns.withDefaults(tofu);
                options = options == null ? null : Map.copyOf(options);
            }
            if (!source.equals("arithmetic") && table == null && (path == null || path.isBlank())) {
                throw new ConfigException("data.path", "is required with data.source: " + source
                        + (tofu ? " (the TOFU folder)" : " (a pairs JSONL file or folder)"));
            }
            splits = splits == null ? List.of("forget10", "retain90") : List.copyOf(splits);
            if (splits.isEmpty()) {
                throw new ConfigException("data.splits", splits, "a non-empty list of TOFU split names");
            }
            heldOutFraction = PARAMS.real("data", "heldOutFraction", heldOutFraction);
            maxPromptTokens = PARAMS.integer("data", "maxPromptTokens", maxPromptTokens);
            maxCompletionTokens = PARAMS.integer("data", "maxCompletionTokens", maxCompletionTokens);
            maxCharacters = PARAMS.integer("data", "maxCharacters", maxCharacters);
            evalExamples = PARAMS.integer("data", "evalExamples", evalExamples);
            generate = PARAMS.bool("data", "generate", generate);
            maxRecordBytes = RecordReading.maxRecordBytes(maxRecordBytes);
            onBadRecord = RecordReading.onBadRecord(onBadRecord);
        }

        ReadOptions reading() {
            return new ReadOptions(maxRecordBytes, onBadRecord);
        }

        private SqlKeys keys() {
            return new SqlKeys(format, "data.path", path, null, null, table, null, where, columns, options);
        }

        /** The Spark SQL source of pairs, or null for files. */
        TableSource tableSource() {
            List<TableSource> s = keys().sources();
            return s.isEmpty() ? null : s.get(0);
        }

        /** The Spark SQL sources of the TOFU splits, in order; empty for the JSON files. */
        List<TableSource> tofuSources() {
            return keys().sources().isEmpty() ? List.of()
                    : splits.stream().map(s -> TofuTables.source(keys(), s)).toList();
        }

        PairColumns pairColumns() {
            return columns == null ? PairColumns.defaults() : columns.pairs();
        }

        TofuColumns tofuColumns() {
            return columns == null ? TofuColumns.defaults() : columns.tofu();
        }

        /** The pairs file(s) or the catalog table: what the data is, for messages. */
        String describe() {
            TableSource t = tableSource();
            return t == null ? path : t.describe();
        }
    }

    /**
     * {@code data.columns}: the keys of {@link PairColumns} ({@code prompt}, {@code chosen}, {@code rejected}) with
     * {@code data.source: pairs}, of {@link TofuColumns} ({@code question}, {@code answer}) with {@code tofu};
     * {@code id} with either.
     */
    public record SftColumns(String prompt, String chosen, String rejected, String question, String answer,
                             String id) {

        static SftColumns defaults(boolean tofu) {
            return new SftColumns(null, null, null, null, null, null).withDefaults(tofu);
        }

        /** Fails naming the first key that belongs to the other source. */
        void check(boolean tofu) {
            Object[][] other = tofu
                    ? new Object[][] {{"prompt", prompt}, {"chosen", chosen}, {"rejected", rejected}}
                    : new Object[][] {{"question", question}, {"answer", answer}};
            for (Object[] kv : other) {
                if (kv[1] != null) {
                    throw new ConfigException("data.columns." + kv[0], "applies to data.source: "
                            + (tofu ? "pairs" : "tofu") + " only (" + (tofu ? "tofu maps question, answer, id"
                            : "pairs map prompt, chosen, rejected, id") + ")");
                }
            }
        }

        /** The mapping with the source's defaults filled in (the effective config shows them). */
        SftColumns withDefaults(boolean tofu) {
            if (tofu) {
                TofuColumns t = tofu();
                return new SftColumns(null, null, null, t.question(), t.answer(), t.id());
            }
            PairColumns p = pairs();
            return new SftColumns(p.prompt(), p.chosen(), p.rejected(), null, null, p.id());
        }

        PairColumns pairs() {
            return new PairColumns(prompt, chosen, rejected, id);
        }

        TofuColumns tofu() {
            return new TofuColumns(question, answer, id);
        }
    }
}
