package io.concord.core.pref;

import io.concord.core.loss.LossRegistry;
import io.concord.core.loss.ObjectiveProvider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The preference and sequence objectives as entries of the one loss catalog ({@link LossRegistry}). */
public final class PreferenceObjectives implements ObjectiveProvider {

    @Override
    public List<Entry> entries() {
        return PreferenceLosses.NAMES.stream()
                .map(name -> new Entry(name, SequenceObjective.class, PreferenceLosses.declarations(name),
                        (section, raw) -> {
                            Map<String, Object> params = new LinkedHashMap<>(raw);
                            params.remove("name");
                            return PreferenceLosses.create(section, name, params);
                        }))
                .toList();
    }
}
