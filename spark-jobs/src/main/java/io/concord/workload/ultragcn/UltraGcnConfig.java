package io.concord.workload.ultragcn;

import io.concord.workload.recsys.RankingEvalSection;
import io.concord.workload.recsys.GraphDataSection;
import io.concord.config.ComponentSpec;
import io.concord.config.ConfigException;
import io.concord.config.SparkSection;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamException;
import io.concord.core.param.ParamTable;
import io.concord.engine.EngineConfig;
import io.concord.job.JobConfig;

import java.util.List;
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
 * @param lrSchedule optional step decay of {@code optimizer.lr} at epoch milestones ({@link LrSchedule})
 * @param checkpointEpochs write a checkpoint every this many epochs (replaces {@code train.checkpointEvery}, which
 *                  counts rounds); unset or 0 = {@code train.checkpointEvery}
 * @param recipe    {@code official} (default: train with the configured values) or {@code fast}: derive a CPU-fast
 *                  schedule from them ({@link FastRecipe}; replaces {@code lrSchedule} and the eval schedule)
 */
public record UltraGcnConfig(Long seed, SparkSection spark, GraphDataSection data, ObjectiveSection ultragcn,
                             ComponentSpec optimizer, EngineConfig train, Integer epochs,
                             RankingEvalSection eval, Double maxTrainMinutes, LrSchedule lrSchedule,
                             Integer checkpointEpochs, String recipe)
        implements JobConfig {

    public static final String OFFICIAL = "official";
    public static final String FAST = "fast";

    /** The top-level scalar keys (docs/ultragcn.md's table is generated from them). */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.longInt("seed", 2021L, "run seed (initialisation, shuffles, negatives, the edge-list split)"),
            Param.optionalInteger("epochs", "unset (train.rounds)", Rule.atLeast(1),
                    "passes over the train positives; sets train.rounds"),
            Param.real("maxTrainMinutes", 0.0, Rule.NON_NEGATIVE,
                    "stop at the first epoch end after this much training time (0 = no limit)"),
            Param.optionalInteger("checkpointEpochs", "unset (train.checkpointEvery)", Rule.atLeast(0),
                    "write a checkpoint every this many epochs (0 = train.checkpointEvery)"),
            Param.choice("recipe", OFFICIAL, List.of(OFFICIAL, FAST),
                    "official (the configured values) or fast (a CPU-fast schedule derived from them)"));

    public UltraGcnConfig(Long seed, SparkSection spark, GraphDataSection data, ObjectiveSection ultragcn,
                          ComponentSpec optimizer, EngineConfig train, Integer epochs, RankingEvalSection eval,
                          Double maxTrainMinutes, LrSchedule lrSchedule) {
        this(seed, spark, data, ultragcn, optimizer, train, epochs, eval, maxTrainMinutes, lrSchedule, null, null);
    }

    public UltraGcnConfig {
        seed = PARAMS.longInt("", "seed", seed);
        spark = spark == null ? SparkSection.defaults() : spark;
        data = data == null ? GraphDataSection.defaults() : data;
        ultragcn = ultragcn == null ? ObjectiveSection.defaults() : ultragcn;
        optimizer = optimizer == null ? ComponentSpec.of("adam", Map.of("lr", 1e-3)) : optimizer;
        train = train == null ? EngineConfig.defaults() : train;
        if (epochs != null) {
            PARAMS.integer("", "epochs", epochs);
        }
        eval = eval == null ? RankingEvalSection.defaults() : eval;
        if (checkpointEpochs != null) {
            PARAMS.integer("", "checkpointEpochs", checkpointEpochs);
        }
        maxTrainMinutes = PARAMS.real("", "maxTrainMinutes", maxTrainMinutes);
        recipe = PARAMS.choice("", "recipe", recipe);
        if (recipe.equals(FAST) && lrSchedule != null && !lrSchedule.milestones().isEmpty()) {
            throw new ConfigException("recipe", "fast derives its own learning-rate phases; remove lrSchedule");
        }
        if (recipe.equals(FAST) && !(optimizer.params().get("lr") instanceof Number)) {
            throw new ConfigException("recipe", "fast needs a numeric optimizer.lr (the official rate)");
        }
        if (lrSchedule != null && !lrSchedule.milestones().isEmpty() && optimizer.params().get("lr") == null) {
            throw new ConfigException("lrSchedule", "needs an explicit optimizer.lr to scale");
        }
    }

    /**
     * Multiplies the learning rate by {@code factor} at each milestone (PyTorch's MultiStepLR, in epochs): phase k
     * runs with {@code optimizer.lr · factor^k} from the start of epoch {@code milestones[k-1]} (0-based) on.
     *
     * @param milestones strictly increasing epochs ≥ 1
     * @param factor     multiplier per milestone, in (0, 1]
     */
    public record LrSchedule(List<Integer> milestones, Double factor) {
        /** The numeric {@code lrSchedule:} key (docs/ultragcn.md's table is generated from it). */
        public static final ParamTable PARAMS = ParamTable.of(
                Param.real("factor", 0.1, Rule.FRACTION, "multiplier of the learning rate per milestone"));

        public LrSchedule {
            milestones = milestones == null ? List.of() : List.copyOf(milestones);
            for (int k = 0; k < milestones.size(); k++) {
                if (milestones.get(k) < 1 || (k > 0 && milestones.get(k) <= milestones.get(k - 1))) {
                    throw new ConfigException("lrSchedule.milestones", milestones,
                            "strictly increasing epochs >= 1");
                }
            }
            try {
                factor = PARAMS.real("lrSchedule", "factor", factor);
            } catch (ParamException e) {
                throw ConfigException.from(e, "lrSchedule.factor");
            }
        }
    }
}
