package io.concord.workload.pref;

import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;

/**
 * The {@code entanglement:} section: every {@code every} rounds (and after the last), the gradient-entanglement
 * statistics of {@code pairs} fixed held-out pairs go into the round log as {@code entangle.*} (0 = off).
 */
public record EntanglementSection(Integer every, Integer pairs) {

    /** The {@code entanglement:} keys (docs/preference.md's table is generated from them). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.integer("every", 10, Rule.atLeast(0),
                    "measure every n rounds and after the last (0 = off)"),
            Param.integer("pairs", 16, Rule.atLeast(1), "fixed held-out pairs measured"));

    public EntanglementSection {
        every = PARAMS.integer("entanglement", "every", every);
        pairs = PARAMS.integer("entanglement", "pairs", pairs);
    }

    public static EntanglementSection defaults() {
        return new EntanglementSection(null, null);
    }
}
