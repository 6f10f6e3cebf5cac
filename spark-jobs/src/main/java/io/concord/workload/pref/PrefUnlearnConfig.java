package io.concord.workload.pref;

import io.concord.core.param.Checks;
import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.config.SparkSection;
import io.concord.engine.EngineConfig;
import io.concord.job.EvalSection;
import io.concord.job.JobConfig;

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

    public PrefUnlearnConfig {
        seed = seed == null ? 42L : seed;
        spark = spark == null ? SparkSection.defaults() : spark;
        data = data == null ? new Data(null, null, null, null, null, null, null, null, null) : data;
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
     * @param path                the TOFU folder
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
     */
    public record Data(String path, String forget, String retain, String evalRetain, Integer evalRetainExamples,
                       Integer pairings, Integer maxPromptTokens, Integer maxCompletionTokens, Boolean generate) {
        public Data {
            path = path == null ? "../shared/datasets/tofu" : path;
            forget = forget == null ? "forget01" : forget;
            int percent = switch (forget) {
                case "forget01" -> 1;
                case "forget05" -> 5;
                case "forget10" -> 10;
                default -> throw new ConfigException("data.forget", forget, "forget01, forget05, forget10");
            };
            retain = retain == null ? String.format("retain%02d", 100 - percent) : retain;
            evalRetain = evalRetain == null ? "retain_perturbed" : evalRetain;
            evalRetainExamples = Checks.positive("data.evalRetainExamples", evalRetainExamples, 100);
            pairings = Checks.nonNegative("data.pairings", pairings, 0);
            maxPromptTokens = Checks.nonNegative("data.maxPromptTokens", maxPromptTokens, 64);
            maxCompletionTokens = Checks.positive("data.maxCompletionTokens", maxCompletionTokens, 96);
            generate = generate == null || generate;
        }
    }
}
