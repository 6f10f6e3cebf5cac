package io.concord.jobs.ultragcn;

import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.config.SparkSection;
import io.concord.engine.EngineConfig;
import io.concord.job.JobConfig;

import java.util.Map;

/**
 * Config of the {@code ultragcn} job.
 *
 * @param seed      run seed (initialisation, shuffles, negatives, the edge-list split)
 * @param spark     Spark section
 * @param data      the interaction graph ({@link GraphDataSection})
 * @param ultragcn  the objective ({@link ObjectiveSection}, official key names)
 * @param optimizer optimizer (official: {@code adam}); default adam with lr 1e-3
 * @param train     the engine section; {@code train.batchSize} is PER PARTITION, so one optimizer step in
 *                  global-batch mode sees {@code partitions × batchSize} positives (the official {@code batch_size});
 *                  {@code train.rounds} is derived from {@code epochs} when that is set
 * @param epochs    passes over the train positives; rounds = epochs × ⌈positives / (partitions × batchSize ×
 *                  steps per round)⌉
 * @param eval      evaluation ({@link RankingEvalSection})
 * @param maxTrainMinutes stop at the first epoch end after this much training time (round time, evaluations
 *                  excluded), evaluating there; 0 = no limit. For time-to-quality runs ("Recall after 60 minutes").
 */
public record UltraGcnConfig(Long seed, SparkSection spark, GraphDataSection data, ObjectiveSection ultragcn,
                             ComponentSpec optimizer, EngineConfig train, Integer epochs,
                             RankingEvalSection eval, Double maxTrainMinutes) implements JobConfig {

    public UltraGcnConfig {
        seed = seed == null ? 2021L : seed;
        spark = spark == null ? SparkSection.defaults() : spark;
        data = data == null ? GraphDataSection.defaults() : data;
        ultragcn = ultragcn == null ? ObjectiveSection.defaults() : ultragcn;
        optimizer = optimizer == null ? ComponentSpec.of("adam", Map.of("lr", 1e-3)) : optimizer;
        train = train == null ? EngineConfig.defaults() : train;
        if (epochs != null && epochs < 1) {
            throw new ConfigException("epochs", epochs, "an integer >= 1");
        }
        eval = eval == null ? RankingEvalSection.defaults() : eval;
        maxTrainMinutes = maxTrainMinutes == null ? Double.valueOf(0.0) : maxTrainMinutes;
        if (!(maxTrainMinutes >= 0) || maxTrainMinutes.isInfinite()) {
            throw new ConfigException("maxTrainMinutes", maxTrainMinutes, "a number >= 0 (0 = no limit)");
        }
    }
}
