package io.concord.workload.pref;

import io.concord.config.ConfigException;
import io.concord.core.lm.CharVocabulary;
import io.concord.core.lm.GruLanguageModel;
import org.apache.hadoop.conf.Configuration;

import java.util.List;
import java.util.function.Supplier;

/**
 * The language model a job trains: from its starting point (vocabulary, shape and parameters of a previous run or
 * soup) or, without one, a fresh model over a vocabulary the job provides.
 *
 * @param initial    starting parameters, or null for the seeded random initialisation
 * @param initFiles  the parameter files the start was read from (empty for a fresh model)
 */
record ModelSetup(CharVocabulary vocabulary, GruLanguageModel lm, float[] initial, List<String> initFiles) {

    static ModelSetup resolve(ModelSection model, ParamsSource init, Configuration conf,
                              Supplier<CharVocabulary> freshVocabulary) {
        if (init == null) {
            CharVocabulary vocabulary = freshVocabulary.get();
            ModelSection m = model.resolve(null);
            return new ModelSetup(vocabulary, GruLanguageModel.forVocabulary(vocabulary, m.hidden(), m.layers()),
                    null, List.of());
        }
        ModelFiles.Loaded loaded = ModelFiles.load(init, "init", conf);
        ModelSection m = model.resolve(loaded.shape());
        GruLanguageModel lm = GruLanguageModel.forVocabulary(loaded.vocabulary(), m.hidden(), m.layers());
        if (lm.numParams() != loaded.params().length) {
            throw new ConfigException("init", loaded.files().get(0) + " holds " + loaded.params().length
                    + " parameters but a GRU with hidden=" + m.hidden() + ", layers=" + m.layers() + " over its "
                    + loaded.vocabulary().size() + "-id vocabulary has " + lm.numParams()
                    + "; set model.hidden/model.layers as in the run that wrote it");
        }
        return new ModelSetup(loaded.vocabulary(), lm, loaded.params(), loaded.files());
    }

    /** A second source (the reference) over the same vocabulary and shape. */
    float[] load(ParamsSource source, String key, Configuration conf) {
        ModelFiles.Loaded loaded = ModelFiles.load(source, key, conf);
        if (!loaded.vocabulary().equals(vocabulary)) {
            throw new ConfigException(key, loaded.files().get(0) + " was trained over another vocabulary than the "
                    + "starting point; reference and policy must share one");
        }
        if (loaded.params().length != lm.numParams()) {
            throw new ConfigException(key, loaded.files().get(0) + " holds " + loaded.params().length
                    + " parameters, the policy model " + lm.numParams());
        }
        return loaded.params();
    }
}
