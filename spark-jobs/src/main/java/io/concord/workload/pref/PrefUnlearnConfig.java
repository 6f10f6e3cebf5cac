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
import io.concord.workload.source.SqlKeys;
import io.concord.workload.source.TableSource;
import io.concord.workload.source.TofuColumns;
import io.concord.workload.source.TofuTables;

import java.util.List;
import java.util.Map;

/**
 * Config of {@code pref-unlearn}: unlearning a TOFU forget split from a model fine-tuned on all of TOFU, with gradient
 * ascent or NPO, each optionally with a retain term ({@code loss.retain: ce | kl}).
 *
 * @param init      the fine-tuned model (required); also the NPO reference unless {@code reference} is set
 * @param reference optional frozen reference; default: the starting point (the reference code's {@code fine_tuned})
 * @param loss      {@code {name: npo | grad_ascent, retain: none | ce | kl, …}} as in
 *                  {@link io.concord.core.pref.PreferenceLosses}
 */
public record PrefUnlearnConfig(Long seed, SparkSection spark, Data data, ModelSection model, ParamsSource init,
                                ParamsSource reference, ComponentSpec loss, ComponentSpec optimizer,
                                EngineConfig train, EvalSection eval, EntanglementSection entanglement)
        implements JobConfig {

    /** The top-level scalar key (the others are sections). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.longInt("seed", 42L, "run seed (initialisation, batch order)"));

    public PrefUnlearnConfig {
        seed = PARAMS.longInt("", "seed", seed);
        spark = spark == null ? SparkSection.defaults() : spark;
        data = data == null ? new Data(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null) : data;
        model = model == null ? ModelSection.defaults() : model;
        if (init == null) {
            throw new ConfigException("init", "is required: the fine-tuned model to unlearn from (init.run: <SFT run>)");
        }
        init.validated("init");
        if (reference != null) {
            reference.validated("reference");
        }
        loss = loss == null ? ComponentSpec.of("npo", Map.of("retain", "ce")) : loss;
        optimizer = optimizer == null ? ComponentSpec.of("adam", Map.of("lr", 1e-3)) : optimizer;
        train = train == null ? EngineConfig.defaults() : train;
        eval = eval == null ? EvalSection.defaults() : eval;
        entanglement = entanglement == null ? EntanglementSection.defaults() : entanglement;
    }

    /**
     * @param path                the TOFU folder of JSON splits ({@code <path>/<split>.json}); with a Spark SQL
     *                            format the files of the format: a template with {@code {split}}, or the folder
     *                            {@code <path>/<split>} ({@link TofuTables})
     * @param forget              forget split: forget01, forget05 or forget10
     * @param retain              retain split zipped with the forget samples; default the complement (retain99 / 95 / 90)
     * @param evalRetain          split the retain utility is measured on (default retain_perturbed, TOFU's
     *                            evaluation subset of the retained authors)
     * @param evalRetainExamples  how many of its records are evaluated
     * @param pairings            retain samples drawn per forget sample (each a record); 0 = enough that the training
     *                            budget rarely repeats a (forget, retain) record
     * @param maxPromptTokens     prompt budget (LAST tokens kept)
     * @param maxCompletionTokens answer budget (FIRST tokens kept)
     * @param generate            also evaluate greedy answers (ROUGE-L recall, TOFU's answer measure)
     * @param maxRecordBytes      longest accepted line in bytes (default 16 MiB)
     * @param onBadRecord         {@code fail} (default) or {@code skip} bad records (a null or empty question or
     *                            answer, a line that does not parse)
     * @param format              {@code jsonl} (the default) or a Spark SQL source of the splits: {@code parquet},
     *                            {@code orc}, {@code csv}, {@code json} (files at {@code path}) or {@code table};
     *                            docs/data.md
     * @param table               a catalog table name with {@code {split}}, one table per split (implies
     *                            {@code format: table})
     * @param where               SQL filter applied to every split's source
     * @param columns             column mapping of the Spark SQL source ({@link TofuColumns})
     * @param options             Spark reader options of the file formats
     */
    public record Data(String path, String forget, String retain, String evalRetain, Integer evalRetainExamples,
                       Integer pairings, Integer maxPromptTokens, Integer maxCompletionTokens, Boolean generate,
                       Long maxRecordBytes, OnBadRecord onBadRecord, String format, String table, String where,
                       TofuColumns columns, Map<String, String> options) {
        /**
         * The {@code data:} keys of pref-unlearn other than the paths and split names (docs/preference.md's table is
         * generated from them): {@code path} (default {@code ../shared/datasets/tofu}), {@code retain} (default the
         * complement of {@code forget}: retain99, retain95, retain90).
         */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.choice("forget", "forget01", List.of("forget01", "forget05", "forget10"),
                        "the TOFU forget split"),
                Param.integer("evalRetainExamples", 100, Rule.atLeast(1),
                        "records of the evalRetain split evaluated"),
                Param.integer("pairings", 0, Rule.atLeast(0), "retain samples drawn per forget sample (0 = enough "
                        + "that the training budget rarely repeats a (forget, retain) record)"),
                Param.integer("maxPromptTokens", 64, Rule.atLeast(0), "prompt budget (the last tokens are kept)"),
                Param.integer("maxCompletionTokens", 96, Rule.atLeast(1),
                        "answer budget (the first tokens are kept)"),
                Param.bool("generate", true, "also evaluate greedy answers (ROUGE-L recall)"),
                Param.string("evalRetain", "retain_perturbed", "a TOFU split name",
                        "split the retain utility is measured on (TOFU's evaluation subset of the retained authors)"));

        public Data {
            format = SqlKeys.formatOf(format, table);
            if (TofuTables.check(new SqlKeys(format, "data.path", path, null, null, table, null, where, columns,
                    options)) != null) {
                columns = columns == null ? TofuColumns.defaults() : columns;
                options = options == null ? null : Map.copyOf(options);
            } else {
                path = path == null ? "../shared/datasets/tofu" : path;
            }
            forget = PARAMS.choice("data", "forget", forget);
            int percent = Integer.parseInt(forget.substring("forget".length()));
            retain = retain == null ? String.format("retain%02d", 100 - percent) : retain;
            evalRetain = PARAMS.string("data", "evalRetain", evalRetain);
            evalRetainExamples = PARAMS.integer("data", "evalRetainExamples", evalRetainExamples);
            pairings = PARAMS.integer("data", "pairings", pairings);
            maxPromptTokens = PARAMS.integer("data", "maxPromptTokens", maxPromptTokens);
            maxCompletionTokens = PARAMS.integer("data", "maxCompletionTokens", maxCompletionTokens);
            generate = PARAMS.bool("data", "generate", generate);
            maxRecordBytes = RecordReading.maxRecordBytes(maxRecordBytes);
            onBadRecord = RecordReading.onBadRecord(onBadRecord);
        }

        ReadOptions reading() {
            return new ReadOptions(maxRecordBytes, onBadRecord);
        }

        /** The Spark SQL source of TOFU split {@code split}, or null for the JSON files. */
        TableSource tofuSource(String split) {
            return TofuTables.source(new SqlKeys(format, "data.path", path, null, null, table, null, where, columns,
                    options), split);
        }

        /** Where split {@code split} is read from, for messages and the summary. */
        String describe(String split) {
            TableSource t = tofuSource(split);
            return t == null ? TofuTables.name(path, split, ".json") : t.describe();
        }
    }
}
