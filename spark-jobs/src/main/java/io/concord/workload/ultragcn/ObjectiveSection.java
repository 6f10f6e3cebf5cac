package io.concord.workload.ultragcn;

import io.concord.workload.recsys.Keys;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.concord.core.param.Param;
import io.concord.core.param.Param.Rule;
import io.concord.core.param.ParamTable;
import io.concord.core.ultragcn.UltraGcnObjective;
import io.concord.core.ultragcn.UltraGcnPreset;

import java.util.List;

/**
 * The {@code ultragcn:} section: the objective's hyperparameters under the official config names (so values copy over
 * from {@code *_config.ini}); unset keys take the official Gowalla values. Meaning of each key:
 * {@link UltraGcnObjective}. Note the official naming: {@code gamma} weights the L2 term and {@code lambda} the
 * item–item loss (the paper uses the two letters the other way round).
 */
public record ObjectiveSection(
        @JsonProperty("embedding_dim") Integer embeddingDim,
        @JsonProperty("initial_weight") Double initialWeight,
        @JsonProperty("w1") Double w1,
        @JsonProperty("w2") Double w2,
        @JsonProperty("w3") Double w3,
        @JsonProperty("w4") Double w4,
        @JsonProperty("negative_num") Integer negativeNum,
        @JsonProperty("negative_weight") Double negativeWeight,
        @JsonProperty("gamma") Double gamma,
        @JsonProperty("lambda") Double lambda,
        @JsonProperty("ii_neighbor_num") Integer iiNeighborNum,
        @JsonProperty("sampling_sift_pos") Boolean samplingSiftPos,
        @JsonProperty("start") String start) {

    public static final String NORMAL = "normal";
    public static final String POPULARITY = "popularity";

    private static final UltraGcnObjective GOWALLA = UltraGcnPreset.GOWALLA.objective();

    /**
     * The {@code ultragcn:} keys under their official names, defaults the official Gowalla values (docs/ultragcn.md's
     * table is generated from them).
     */
    public static final ParamTable PARAMS = ParamTable.of(
            Param.integer("embedding_dim", GOWALLA.embeddingDim(), Rule.atLeast(1), "embedding size of users and "
                    + "items"),
            Param.real("initial_weight", GOWALLA.initialWeight(), Rule.POSITIVE,
                    "std of the normal initialisation of both tables"),
            Param.real("w1", GOWALLA.w1(), Rule.NON_NEGATIVE, "constant part of the positive weight"),
            Param.real("w2", GOWALLA.w2(), Rule.NON_NEGATIVE, "β part of the positive weight (used only if > 0)"),
            Param.real("w3", GOWALLA.w3(), Rule.NON_NEGATIVE, "constant part of the negative weight"),
            Param.real("w4", GOWALLA.w4(), Rule.NON_NEGATIVE, "β part of the negative weight (used only if > 0)"),
            Param.integer("negative_num", GOWALLA.negativeNum(), Rule.atLeast(1),
                    "R: uniform negatives per positive, with replacement"),
            Param.real("negative_weight", GOWALLA.negativeWeight(), Rule.NON_NEGATIVE,
                    "the negative terms are averaged over R, then multiplied by this"),
            Param.real("gamma", GOWALLA.gamma(), Rule.NON_NEGATIVE,
                    "L2 weight on ½‖θ‖² over all parameters, once per optimizer step"),
            Param.real("lambda", GOWALLA.lambda(), Rule.NON_NEGATIVE, "weight of the item–item loss"),
            Param.integer("ii_neighbor_num", GOWALLA.iiNeighborNum(), Rule.atLeast(0),
                    "K: neighbours per item in the item–item loss (with lambda > 0: at most the number of items)"),
            Param.bool("sampling_sift_pos", false,
                    "draw negatives from the items not in the user's train set (otherwise from all items)"),
            Param.choice("start", NORMAL, List.of(NORMAL, POPULARITY), "normal: both tables ~ N(0, initial_weight²)"
                    + " (official); popularity: that plus every item's balancing score along one shared direction,"
                    + " skipping the popularity plateau (not an official key; docs/ultragcn.md)"));

    private static final String SECTION = "ultragcn";

    public ObjectiveSection {
        embeddingDim = PARAMS.integer(SECTION, "embedding_dim", embeddingDim);
        initialWeight = PARAMS.real(SECTION, "initial_weight", initialWeight);
        w1 = PARAMS.real(SECTION, "w1", w1);
        w2 = PARAMS.real(SECTION, "w2", w2);
        w3 = PARAMS.real(SECTION, "w3", w3);
        w4 = PARAMS.real(SECTION, "w4", w4);
        negativeNum = PARAMS.integer(SECTION, "negative_num", negativeNum);
        negativeWeight = PARAMS.real(SECTION, "negative_weight", negativeWeight);
        gamma = PARAMS.real(SECTION, "gamma", gamma);
        lambda = PARAMS.real(SECTION, "lambda", lambda);
        iiNeighborNum = PARAMS.integer(SECTION, "ii_neighbor_num", iiNeighborNum);
        samplingSiftPos = PARAMS.bool(SECTION, "sampling_sift_pos", samplingSiftPos);
        start = PARAMS.choice(SECTION, "start", start);
        objective(embeddingDim, initialWeight, w1, w2, w3, w4, negativeNum, negativeWeight, gamma, lambda,
                iiNeighborNum, samplingSiftPos);
    }

    public static ObjectiveSection defaults() {
        return new ObjectiveSection(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The validated objective. */
    public UltraGcnObjective objective() {
        return objective(embeddingDim, initialWeight, w1, w2, w3, w4, negativeNum, negativeWeight, gamma, lambda,
                iiNeighborNum, samplingSiftPos);
    }

    private static UltraGcnObjective objective(int dim, double init, double w1, double w2, double w3, double w4,
                                               int r, double negW, double gamma, double lambda, int k,
                                               boolean sift) {
        try {
            return new UltraGcnObjective(dim, init, w1, w2, w3, w4, r, negW, gamma, lambda, k, sift);
        } catch (IllegalArgumentException e) {
            throw Keys.asConfig(e, "ultragcn");
        }
    }
}
