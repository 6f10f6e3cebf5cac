package io.concord.workload.ultragcn;

import io.concord.workload.recsys.Keys;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.concord.core.ultragcn.UltraGcnObjective;
import io.concord.core.ultragcn.UltraGcnPreset;

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
        @JsonProperty("sampling_sift_pos") Boolean samplingSiftPos) {

    public ObjectiveSection {
        UltraGcnObjective d = UltraGcnPreset.GOWALLA.objective();
        embeddingDim = embeddingDim == null ? d.embeddingDim() : embeddingDim;
        initialWeight = initialWeight == null ? d.initialWeight() : initialWeight;
        w1 = w1 == null ? d.w1() : w1;
        w2 = w2 == null ? d.w2() : w2;
        w3 = w3 == null ? d.w3() : w3;
        w4 = w4 == null ? d.w4() : w4;
        negativeNum = negativeNum == null ? d.negativeNum() : negativeNum;
        negativeWeight = negativeWeight == null ? d.negativeWeight() : negativeWeight;
        gamma = gamma == null ? d.gamma() : gamma;
        lambda = lambda == null ? d.lambda() : lambda;
        iiNeighborNum = iiNeighborNum == null ? d.iiNeighborNum() : iiNeighborNum;
        samplingSiftPos = samplingSiftPos != null && samplingSiftPos;
        objective(embeddingDim, initialWeight, w1, w2, w3, w4, negativeNum, negativeWeight, gamma, lambda,
                iiNeighborNum, samplingSiftPos);
    }

    public static ObjectiveSection defaults() {
        return new ObjectiveSection(null, null, null, null, null, null, null, null, null, null, null, null);
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
