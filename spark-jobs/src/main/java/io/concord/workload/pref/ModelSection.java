package io.concord.workload.pref;

import io.concord.config.ConfigException;
import io.concord.core.lm.GruLanguageModel;

/**
 * The {@code model:} section of the preference jobs: the GRU language model's size. Left empty, a job that starts
 * from a previous run takes the size that run saved in {@code model/lm.json}, else the defaults (64 hidden, 1 layer).
 *
 * @param hidden GRU state size
 * @param layers stacked GRU layers
 */
public record ModelSection(Integer hidden, Integer layers) {

    public static final int DEFAULT_HIDDEN = 64;
    public static final int DEFAULT_LAYERS = 1;

    public ModelSection {
        // The ranges are the language model's declarations; unset keys stay unset (see resolve).
        if (hidden != null) {
            GruLanguageModel.PARAMS.integer("model", "hidden", hidden);
        }
        if (layers != null) {
            GruLanguageModel.PARAMS.integer("model", "layers", layers);
        }
    }

    public static ModelSection defaults() {
        return new ModelSection(null, null);
    }

    /** This section with the saved shape of a previous run filling what it leaves empty; conflicts are errors. */
    public ModelSection resolve(LmShape saved) {
        if (saved == null) {
            return new ModelSection(hidden == null ? DEFAULT_HIDDEN : hidden, layers == null ? DEFAULT_LAYERS : layers);
        }
        if (hidden != null && hidden != saved.hidden()) {
            throw new ConfigException("model.hidden", hidden, saved.hidden() + " (the initial parameters were "
                    + "trained with that size; leave model.hidden unset to take it over)");
        }
        if (layers != null && layers != saved.layers()) {
            throw new ConfigException("model.layers", layers, saved.layers() + " (the initial parameters were "
                    + "trained with that depth; leave model.layers unset to take it over)");
        }
        return new ModelSection(saved.hidden(), saved.layers());
    }
}
