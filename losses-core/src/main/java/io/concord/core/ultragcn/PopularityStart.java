package io.concord.core.ultragcn;

/**
 * A start at the popularity solution of the UltraGCN objective instead of near zero.
 *
 * <p>From a normal start with a small {@code initial_weight} every score is ~0, and the negatives, which carry
 * {@code negative_weight} times the positives' weight, first push every score down towards the level where the
 * weighted positive and negative terms balance. Adam moves each coordinate by at most ~lr per step, so that common
 * shift alone takes hundreds of epochs at an official rate of 1e-3 (Amazon-Electronics: ~240 epochs on the popularity
 * plateau), and the personal part of the embeddings only starts to grow after it. The balance has a closed form for a
 * user-independent score {@code z_j} of item {@code j}: with {@code P_j} the expected positive weight on item
 * {@code j} per epoch (its positives' {@code w1 + w2·β}, plus the item–item terms that pull it) and {@code N_j} the
 * expected negative weight (every positive draws R negatives, uniformly from the items, or from the items not in its
 * user's train set with {@code sampling_sift_pos}), {@code P_j·softplus(−z) + N_j·softplus(z)} is smallest at
 * {@code z_j = ln(P_j / N_j)}. {@link #apply} adds that score along one shared direction to the normal start:
 * {@code e_u += a·c}, {@code e_j += (z_j / a)·c} with {@code c = (1, …, 1)/√dim} and {@code a = √mean|z|}, so
 * {@code e_u·e_j = z_j +} the normal start's noise.
 */
public final class PopularityStart {

    /** Scores are kept within ±this (an item without positives would get −∞). */
    static final double MAX_ABS_LOGIT = 12.0;

    private PopularityStart() {
    }

    /**
     * The balancing score {@code z_j = ln(P_j / N_j)} of every item.
     *
     * @param train      the user × item train matrix
     * @param weights    β tables from the train degrees
     * @param neighbours item–item table ({@link ItemNeighbours#none} when λ = 0)
     * @param objective  the objective's weights
     */
    public static double[] logits(Adjacency train, DegreeWeights weights, ItemNeighbours neighbours,
                                  UltraGcnObjective objective) {
        int numUsers = train.numRows();
        int numItems = train.numColumns();
        boolean sift = objective.samplingSiftPos();
        double w2 = objective.w2() > 0 ? objective.w2() : 0.0;
        double w4 = objective.w4() > 0 ? objective.w4() : 0.0;
        double[] positive = new double[numItems];
        // Σ over users of (positives drawn for the user) × (chance one draw hits a given item), and the same × β_u;
        // with sift, the users holding the item are taken out again per item.
        double drawAll = 0.0;
        double drawBetaAll = 0.0;
        double[] drawHolders = new double[numItems];
        double[] drawBetaHolders = new double[numItems];
        for (int u = 0; u < numUsers; u++) {
            int d = train.degree(u);
            if (d == 0) {
                continue;
            }
            int candidates = sift ? numItems - d : numItems;
            double draw = candidates <= 0 ? 0.0 : (double) d / candidates;
            double bu = weights.userBeta(u);
            drawAll += draw;
            drawBetaAll += draw * bu;
            for (int p = train.rowStart(u); p < train.rowEnd(u); p++) {
                int i = train.columnArray()[p];
                positive[i] += objective.w1() + w2 * bu * weights.itemBeta(i);
                if (sift) {
                    drawHolders[i] += draw;
                    drawBetaHolders[i] += draw * bu;
                }
                if (objective.lambda() > 0) {
                    for (int n = 0; n < neighbours.k(); n++) {
                        positive[neighbours.neighbour(i, n)] += objective.lambda() * neighbours.weight(i, n);
                    }
                }
            }
        }
        double[] logits = new double[numItems];
        for (int j = 0; j < numItems; j++) {
            double negative = objective.negativeWeight() * (objective.w3() * (drawAll - drawHolders[j])
                    + w4 * weights.itemBeta(j) * (drawBetaAll - drawBetaHolders[j]));
            double z;
            if (positive[j] <= 0) {
                z = -MAX_ABS_LOGIT;
            } else if (negative <= 0) {
                z = MAX_ABS_LOGIT;
            } else {
                z = Math.log(positive[j] / negative);
            }
            logits[j] = Math.max(-MAX_ABS_LOGIT, Math.min(MAX_ABS_LOGIT, z));
        }
        return logits;
    }

    /**
     * Adds the scores {@code logits} along the shared direction to a flat {@code [users × dim, items × dim]} vector.
     */
    public static void apply(float[] params, double[] logits, int numUsers, int dim) {
        int numItems = logits.length;
        if (params.length != (numUsers + numItems) * dim) {
            throw new IllegalArgumentException("parameter vector has " + params.length + " entries, expected ("
                    + numUsers + " + " + numItems + ") × " + dim);
        }
        double meanAbs = 0.0;
        for (double z : logits) {
            meanAbs += Math.abs(z);
        }
        meanAbs /= Math.max(1, numItems);
        if (meanAbs == 0.0) {
            return;
        }
        double a = Math.sqrt(meanAbs);
        double c = 1.0 / Math.sqrt(dim);
        float userShift = (float) (a * c);
        for (int p = 0; p < numUsers * dim; p++) {
            params[p] += userShift;
        }
        for (int j = 0; j < numItems; j++) {
            float itemShift = (float) (logits[j] / a * c);
            int base = (numUsers + j) * dim;
            for (int k = 0; k < dim; k++) {
                params[base + k] += itemShift;
            }
        }
    }
}
