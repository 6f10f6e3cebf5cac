package io.concord.workload.pref;

import io.concord.core.param.Checks;
/**
 * The {@code entanglement:} section: every {@code every} rounds (and after the last), the gradient-entanglement
 * statistics of {@code pairs} fixed held-out pairs go into the round log as {@code entangle.*} (0 = off).
 */
public record EntanglementSection(Integer every, Integer pairs) {

    public EntanglementSection {
        every = Checks.nonNegative("entanglement.every", every, 10);
        pairs = Checks.positive("entanglement.pairs", pairs, 16);
    }

    public static EntanglementSection defaults() {
        return new EntanglementSection(null, null);
    }
}
