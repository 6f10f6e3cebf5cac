package io.concord.engine.sync;

import io.concord.core.model.Model;
import io.concord.core.model.ModelCapabilities;
import io.concord.core.optim.Optimizer;
import io.concord.engine.BatchPlan;
import io.concord.engine.EngineConfig;
import io.concord.engine.StatisticSet;

import java.io.Serializable;

/**
 * The fixed ingredients of every round, shipped to the executors once per run (the engine's per-run bundle): model,
 * optimizer, batch plan, engine config, statistics, seed, and the model's capabilities (its statistics pass and the
 * curvature inputs a curvature optimizer such as Sophia needs).
 */
public record RoundWork<R>(Model<R> model, Optimizer optimizer, BatchPlan plan, EngineConfig config,
                           StatisticSet statistics, long seed, ModelCapabilities<R> capabilities)
        implements Serializable {
}
