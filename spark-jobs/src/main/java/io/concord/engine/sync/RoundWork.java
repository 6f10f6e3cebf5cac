package io.concord.engine.sync;

import io.concord.core.model.Model;
import io.concord.core.optim.Optimizer;
import io.concord.engine.BatchPlan;
import io.concord.engine.EngineConfig;
import io.concord.engine.StatisticSet;

import java.io.Serializable;

/**
 * The fixed ingredients of every round, shipped once in the task closure: model, optimizer, batch plan, engine
 * config, statistics, seed, and the curvature source a curvature optimizer (Sophia) needs (the model itself, or a
 * companion object; null when unused).
 */
public record RoundWork<R>(Model<R> model, Optimizer optimizer, BatchPlan plan, EngineConfig config,
                           StatisticSet statistics, long seed, Object curvature) implements Serializable {
}
