package io.concord.workload.pref;

import io.concord.config.ConfigException;
import io.concord.config.SparkSection;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;
import io.concord.job.JobConfig;

/**
 * Config of {@code pref-sample}: draw k responses per training question of the arithmetic task from a trained model
 * and group them by final-answer correctness.
 *
 * @param init       the model to sample from (required; normally the SFT run)
 * @param arithmetic the task section of the SFT run (same questions, same held-out split)
 */
public record PrefSampleConfig(Long seed, SparkSection spark, ParamsSource init, ArithmeticSection arithmetic,
                               Sample sample) implements JobConfig {

    /** The top-level scalar key (the others are sections). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.longInt("seed", 42L, "run seed (the sampling draws)"));

    public PrefSampleConfig {
        seed = PARAMS.longInt("", "seed", seed);
        spark = spark == null ? SparkSection.defaults() : spark;
        if (init == null) {
            throw new ConfigException("init", "is required: the run (or parameter file) to sample from");
        }
        init.validated("init");
        arithmetic = arithmetic == null ? ArithmeticSection.defaults() : arithmetic;
        sample = sample == null ? new Sample(null, null, null, null, null, null) : sample;
    }

    /**
     * @param questions        stream positions 0 … questions−1 of the task are sampled (held-out texts skipped)
     * @param k                responses drawn per question
     * @param temperature      sampling temperature (0 = greedy, which makes all k identical)
     * @param includeReference add the worked reference solution to every group as a correct response (so every group
     *                         has a positive, as when gold chains of thought are available)
     * @param maxPromptTokens  prompt budget (as in the SFT run)
     * @param partitions       sampling tasks (0 = Spark's default parallelism)
     */
    public record Sample(Integer questions, Integer k, Double temperature, Boolean includeReference,
                         Integer maxPromptTokens, Integer partitions) {
        /** The {@code sample:} keys (docs/preference.md's table is generated from them). */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.integer("questions", 500, Rule.atLeast(1),
                        "stream positions 0 … n−1 of the task are sampled (held-out texts skipped)"),
                Param.integer("k", 4, Rule.atLeast(1), "responses drawn per question"),
                Param.real("temperature", 0.8, Rule.NON_NEGATIVE, "sampling temperature (0 = greedy)"),
                Param.bool("includeReference", true,
                        "add the worked reference solution to every group as a correct response"),
                Param.integer("maxPromptTokens", 64, Rule.atLeast(0), "prompt budget (as in the SFT run)"),
                Param.integer("partitions", 0, Rule.atLeast(0),
                        "sampling tasks (0 = Spark's default parallelism)"));

        public Sample {
            questions = PARAMS.integer("sample", "questions", questions);
            k = PARAMS.integer("sample", "k", k);
            temperature = PARAMS.real("sample", "temperature", temperature);
            includeReference = PARAMS.bool("sample", "includeReference", includeReference);
            maxPromptTokens = PARAMS.integer("sample", "maxPromptTokens", maxPromptTokens);
            partitions = PARAMS.integer("sample", "partitions", partitions);
        }
    }
}
