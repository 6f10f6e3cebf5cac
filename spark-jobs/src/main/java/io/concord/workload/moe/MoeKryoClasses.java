package io.concord.workload.moe;

import io.concord.core.moe.MoeExample;
import io.concord.core.moe.RoutingTally;
import io.concord.engine.kryo.KryoClasses;

import java.util.List;

/** MoE examples and the routing tallies (expert selection counts) of the global statistics. */
public final class MoeKryoClasses implements KryoClasses {

    @Override
    public List<String> classNames() {
        return List.of(MoeExample.class.getName(), RoutingTally.class.getName());
    }
}
