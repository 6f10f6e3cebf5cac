package io.concord.workload.pref;

import io.concord.core.lm.PromptCompletion;
import io.concord.core.pref.PreferencePair;
import io.concord.core.pref.RankedResponses;
import io.concord.core.pref.UnlearningExample;
import io.concord.data.pref.ArithmeticProblem;
import io.concord.data.pref.TextPair;
import io.concord.data.pref.TextRanked;
import io.concord.data.pref.TofuQa;
import io.concord.engine.kryo.KryoClasses;

import java.util.List;

/** Preference training: token records of losses-core, text records of data-loaders. */
public final class PrefKryoClasses implements KryoClasses {

    @Override
    public List<String> classNames() {
        return List.of(PromptCompletion.class.getName(), PreferencePair.class.getName(),
                RankedResponses.class.getName(), UnlearningExample.class.getName(), TextPair.class.getName(),
                TextRanked.class.getName(), TofuQa.class.getName(), ArithmeticProblem.class.getName());
    }
}
