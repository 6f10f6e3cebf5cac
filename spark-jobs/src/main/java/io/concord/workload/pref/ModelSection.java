package io.concord.workload.pref;

import io.concord.config.ConfigException;
import io.concord.core.lm.GruLanguageModel;
import io.concord.core.param.ParamTable;

/**
 * The {@code model:} section of the preference jobs: the GRU language model's size. Left empty, a job that starts
 * from a previous run takes the size that run saved in {@code model/lm.json}, else the declared defaults
 * ({@link #PARAMS}: 64 hidden, 1 layer).
 *
 * @param hidden GRU state size
 * @param layers stacked GRU layers
 */
public record ModelSection(Integer hidden, Integer layers) {

    /**
     * The {@code model:} keys: the language model's declarations ({@link GruLanguageModel#PARAMS}, their ranges) with
     * these jobs' defaults, which apply when no saved run gives the shape.
     */
    public static final ParamTable PARAMS = ParamTable.of(
            GruLanguageModel.PARAMS.param("hidden").withDefault(64),
            GruLanguageModel.PARAMS.param("layers").withDefault(1));

    private static final String SECTION = "model";

    public ModelSection {
        // Unset keys stay unset (see resolve).
        if (hidden != null) {
            PARAMS.integer(SECTION, "hidden", hidden);
        }
        if (layers != null) {
            PARAMS.integer(SECTION, "layers", layers);
        }
    }

    public static ModelSection defaults() {
        return new ModelSection(null, null);
    }

    /** This section with the saved shape of a previous run filling what it leaves empty; conflicts are errors. */
    public ModelSection resolve(LmShape saved) {
        if (saved == null) {
            return new ModelSection(PARAMS.integer(SECTION, "hidden", hidden),
                    PARAMS.integer(SECTION, "layers", layers));
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
