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

import java.util.List;
import java.util.Map;

/**
 * Config of {@code pref-align}: preference optimisation of a (normally SFT) model on pairs or ranked groups.
 *
 * @param arithmetic optional: also report held-out accuracy on the generated task (the reasoning pipeline)
 * @param init       the policy's starting point (a run, parameter file or soup); required for reference-based losses
 *                   unless {@code reference} is set
 * @param reference  the frozen reference (e.g. a SALSA soup of two SFT runs); default: the starting point
 * @param loss       {@code {name, …}} as in {@link io.concord.core.pref.PreferenceLosses}: dpo, robust, ipo, hinge,
 *                   sigmoid_norm, rpo, simpo, inpo over pairs; aft over ranked groups
 */
public record PrefAlignConfig(Long seed, SparkSection spark, Data data, ArithmeticSection arithmetic,
                              ModelSection model, ParamsSource init, ParamsSource reference, ComponentSpec loss,
                              ComponentSpec optimizer, EngineConfig train, EvalSection eval,
                              EntanglementSection entanglement) implements JobConfig {

    /** The top-level scalar key (the others are sections). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.longInt("seed", 42L, "run seed (initialisation, batch order)"));

    public PrefAlignConfig {
        seed = PARAMS.longInt("", "seed", seed);
        spark = spark == null ? SparkSection.defaults() : spark;
        if (data == null) {
            throw new ConfigException("data", "is required: data.pairs or data.ranked");
        }
        model = model == null ? ModelSection.defaults() : model;
        if (init != null) {
            init.validated("init");
        }
        if (reference != null) {
            reference.validated("reference");
        }
        loss = loss == null ? ComponentSpec.of("dpo", Map.of("beta", 0.1)) : loss;
        optimizer = optimizer == null ? ComponentSpec.of("adam", Map.of("lr", 1e-3)) : optimizer;
        train = train == null ? EngineConfig.defaults() : train;
        eval = eval == null ? EvalSection.defaults() : eval;
        entanglement = entanglement == null ? EntanglementSection.defaults() : entanglement;
    }

    /**
     * @param pairs               pairs JSONL file or folder ({prompt, chosen, rejected}, the OpenAI DPO schema, or
     *                            HH-RLHF dialogues)
     * @param ranked              ranked-list JSONL file or folder ({prompt, responses, scores}), e.g. a
     *                            {@code pref-sample} run's {@code samples/}
     * @param heldOutFraction     share of prompts held out for the implicit-reward accuracy (hash of the prompt text;
     *                            the same split as {@code pref-sft}'s)
     * @param maxPromptTokens     prompt budget (LAST tokens kept)
     * @param maxCompletionTokens completion budget (FIRST tokens kept)
     * @param maxRecordBytes      longest accepted line in bytes (default 16 MiB)
     * @param onBadRecord         {@code fail} (default) or {@code skip} malformed, empty or identical pairs
     * @param format              {@code jsonl} (the default) or a Spark SQL source of pairs: {@code parquet},
     *                            {@code orc}, {@code csv}, {@code json} (files at {@code pairs}) or {@code table};
     *                            docs/data.md
     * @param table               catalog table of pairs (implies {@code format: table})
     * @param where               SQL filter applied to the Spark SQL source
     * @param columns             column mapping of the Spark SQL source ({@link PairColumns})
     * @param options             Spark reader options of the file formats
     */
    public record Data(String pairs, String ranked, Double heldOutFraction, Integer maxPromptTokens,
                       Integer maxCompletionTokens, Long maxRecordBytes, OnBadRecord onBadRecord, String format,
                       String table, String where, PairColumns columns, Map<String, String> options) {
        /** The numeric {@code data:} keys of pref-align (docs/preference.md's table is generated from them). */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.real("heldOutFraction", 0.15, Rule.UNIT_OPEN,
                        "share of prompts held out (a hash of the prompt text; the split of pref-sft)"),
                Param.integer("maxPromptTokens", 64, Rule.atLeast(0), "prompt budget (the last tokens are kept)"),
                Param.integer("maxCompletionTokens", 96, Rule.atLeast(1),
                        "completion budget (the first tokens are kept)"));

        public Data {
            format = SqlKeys.formatOf(format, table);
            if (new SqlKeys(format, "data.pairs", pairs, null, null, table, null, where, columns, options)
                    .check(List.of("jsonl")) != null) {
                if (ranked != null) {
                    throw new ConfigException("data.ranked", "is read from JSONL only (data.format: jsonl); a "
                            + "Spark SQL source holds pairs");
                }
                columns = columns == null ? PairColumns.defaults() : columns;
                options = options == null ? null : Map.copyOf(options);
            }
            if ((pairs == null && table == null) == (ranked == null)) {
                throw new ConfigException("data", "set exactly one of data.pairs (or data.table) and data.ranked");
            }
            heldOutFraction = PARAMS.real("data", "heldOutFraction", heldOutFraction);
            maxPromptTokens = PARAMS.integer("data", "maxPromptTokens", maxPromptTokens);
            maxCompletionTokens = PARAMS.integer("data", "maxCompletionTokens", maxCompletionTokens);
            maxRecordBytes = RecordReading.maxRecordBytes(maxRecordBytes);
            onBadRecord = RecordReading.onBadRecord(onBadRecord);
        }

        ReadOptions reading() {
            return new ReadOptions(maxRecordBytes, onBadRecord);
        }

        /** The pairs or ranked file(s), or the catalog table: what the data is, for messages. */
        String path() {
            return pairs != null ? pairs : ranked != null ? ranked : table;
        }

        /** The Spark SQL source of pairs, or null for JSONL. */
        TableSource tableSource() {
            List<TableSource> s = new SqlKeys(format, "data.pairs", pairs, null, null, table, null, where, columns,
                    options).sources();
            return s.isEmpty() ? null : s.get(0);
        }
    }
}
