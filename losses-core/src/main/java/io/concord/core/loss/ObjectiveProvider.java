package io.concord.core.loss;

import io.concord.core.param.ParamTable;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Objectives of another package joining {@link LossRegistry}'s one catalog (e.g. the preference objectives of
 * {@code core.pref}), found with {@link java.util.ServiceLoader} so that {@code core.loss} does not depend on them.
 */
public interface ObjectiveProvider {

    /**
     * One catalog entry: its name, kind, declared parameters, and a factory reading the raw section whose full key
     * path is given.
     */
    record Entry(String name, Class<? extends Objective> kind, ParamTable params,
                 BiFunction<String, Map<String, ?>, ? extends Objective> factory) {
    }

    List<Entry> entries();
}
