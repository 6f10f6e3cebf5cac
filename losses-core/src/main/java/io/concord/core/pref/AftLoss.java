package io.concord.core.pref;

import io.concord.core.util.StableMath;

import io.concord.core.model.BatchLoss;
import io.concord.core.param.Checks;

import java.util.Arrays;
import java.util.Objects;

/**
 * AFT constraint alignment (Wang et al., "Making Large Language Models Better Reasoners with Alignment",
 * arXiv 2309.02144) over a group of sampled responses to one question. <b>[secondary]</b>: the equations come from
 * secondary summaries of the paper, not from its text, and no official code is known.
 *
 * <p>Score: the token-averaged log-likelihood {@code s(c) = lp(c)/|c|}. With positives G^P (answer correct, score 1)
 * and negatives G^N (score 0):
 * <ul>
 *   <li>{@link Variant#LA}: {@code L_A = log[1 + Σ_p Σ_n exp(s_n − s_p)]};</li>
 *   <li>{@link Variant#DC} (detached constraint): the same value with s_n detached, so negatives are never pushed
 *       down, only positives up;</li>
 *   <li>{@link Variant#BC} (boundary constraint): {@code log{1 + Σ_p Σ_n [exp(s_n − s_p) + exp(T_p − s_n)]}} with
 *       {@code T_p = 2·s(p*) − 2β − s_p}, {@code p* = argmin_p s_p}; the gradient on s_n vanishes at the boundary
 *       {@code B = min_p s_p − β} (for one positive). The sources do not say whether T is detached:
 *       {@code detach_boundary = true} (default) treats T as a constant, so the boundary term acts on negatives only;
 *       {@code false} differentiates through T (which pushes the worst positive down);</li>
 *   <li>{@link Variant#RANK} (ranking feedback, c1 ≻ c2 ≻ … by descending score) — <b>[derived]</b>: the exact
 *       L_A^RBC is not available from the secondary sources. Implemented as the sum of the boundary-constrained loss
 *       over every cut between consecutive distinct score levels (positives = the responses above the cut, negatives =
 *       those below); for two levels it equals {@link Variant#BC}.</li>
 * </ul>
 * Optional {@code sft_weight} w adds {@code w·mean_{p}(−s_p)} over the positives (binary) or the top level (ranking),
 * the VFT term of {@code L_AFT = L_VFT + L_A*} [secondary]; default 0. The loss is summed over groups with weight 1 per
 * group; a group without a positive or without a negative contributes only the SFT term. Sums over pairs are
 * evaluated in factorised log-sum-exp form ({@code Σ_p Σ_n e^{s_n−s_p} = Σ_n e^{s_n} · Σ_p e^{−s_p}}), so large score
 * gaps do not overflow.
 */
public final class AftLoss implements SequenceObjective {

    private static final long serialVersionUID = 1L;

    /** Which constraint alignment loss. */
    public enum Variant { LA, DC, BC, RANK }

    private final Variant variant;
    private final double beta;
    private final boolean detachBoundary;
    private final double sftWeight;

    /** @param beta the boundary margin β (only read by BC and RANK; no published value — tune on validation data) */
    public AftLoss(Variant variant, double beta, boolean detachBoundary, double sftWeight) {
        this.variant = Objects.requireNonNull(variant, "loss.variant");
        this.beta = usesBoundary(variant) ? Checks.nonNegative("loss.beta", beta) : beta;
        this.detachBoundary = detachBoundary;
        this.sftWeight = Checks.nonNegative("loss.sft_weight", sftWeight);
    }

    static boolean usesBoundary(Variant variant) {
        return variant == Variant.BC || variant == Variant.RANK;
    }

    @Override
    public String name() {
        return "aft";
    }

    @Override
    public int frozenModels() {
        return 0;
    }

    public Variant variant() {
        return variant;
    }

    @Override
    public BatchLoss valueAndGradient(LogProbBatch batch, double[] gradOut) {
        Arrays.fill(gradOut, 0, batch.size(), 0.0);
        double sum = 0.0;
        for (int g = 0; g < batch.groups(); g++) {
            int start = batch.groupStart(g);
            int m = batch.groupSize(g);
            double[] s = new double[m];
            double[] scores = new double[m];
            for (int i = 0; i < m; i++) {
                s[i] = batch.policyMean(start + i);
                scores[i] = batch.score(start + i);
            }
            double[] ds = new double[m];
            sum += group(g, s, scores, ds);
            for (int i = 0; i < m; i++) {
                gradOut[start + i] = ds[i] / batch.tokens(start + i);
            }
        }
        return new BatchLoss(sum, batch.groups());
    }

    /** Loss of one group from its scores s; adds ∂loss/∂s into ds. */
    double group(int g, double[] s, double[] scores, double[] ds) {
        double[] levels = Arrays.stream(scores).distinct().sorted().toArray();
        double value = 0.0;
        double top;
        if (variant == Variant.RANK) {
            for (int k = levels.length - 1; k >= 1; k--) {
                double cut = levels[k];
                value += cut(s, select(scores, cut, true), select(scores, cut, false), ds);
            }
            top = levels.length == 0 ? Double.NaN : levels[levels.length - 1];
        } else {
            for (double v : scores) {
                if (v != 0.0 && v != 1.0) {
                    throw new IllegalArgumentException("loss 'aft' variant " + variant + ": group " + g
                            + " has score " + v + "; binary feedback needs 1 (positive) or 0 (negative), use variant"
                            + " RANK for ranking scores");
                }
            }
            top = 1.0;
            value += cut(s, select(scores, 1.0, true), select(scores, 1.0, false), ds);
        }
        if (sftWeight > 0.0) {
            int[] best = Arrays.stream(indices(scores.length)).filter(i -> scores[i] == top).toArray();
            for (int p : best) {
                value -= sftWeight * s[p] / best.length;
                ds[p] -= sftWeight / best.length;
            }
        }
        return value;
    }

    /** Positives = scores ≥ cut, negatives = scores < cut. */
    private static int[] select(double[] scores, double cut, boolean positives) {
        return Arrays.stream(indices(scores.length)).filter(i -> (scores[i] >= cut) == positives).toArray();
    }

    private static int[] indices(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }

    private double cut(double[] s, int[] pos, int[] neg, double[] ds) {
        if (pos.length == 0 || neg.length == 0) {
            return 0.0;
        }
        double lseN = StableMath.logSumExp(s, neg, 1.0);
        double lseNegP = StableMath.logSumExp(s, pos, -1.0);
        double a1 = lseN + lseNegP;
        if (variant == Variant.LA || variant == Variant.DC) {
            double c1 = StableMath.sigmoid(a1);
            addAlignment(s, pos, neg, ds, c1, lseN, lseNegP, variant == Variant.LA);
            return StableMath.softplus(a1);
        }
        int star = pos[0];
        for (int p : pos) {
            if (s[p] < s[star]) {
                star = p;
            }
        }
        double lseNegN = StableMath.logSumExp(s, neg, -1.0);
        double a2 = 2.0 * s[star] - 2.0 * beta + lseNegP + lseNegN;
        double m = StableMath.logAddExp(a1, a2);
        double c = StableMath.sigmoid(m);
        double c1 = c * Math.exp(a1 - m);
        double c2 = c * Math.exp(a2 - m);
        addAlignment(s, pos, neg, ds, c1, lseN, lseNegP, true);
        for (int n : neg) {
            ds[n] -= c2 * Math.exp(-s[n] - lseNegN);
        }
        if (!detachBoundary) {
            for (int p : pos) {
                ds[p] -= c2 * Math.exp(-s[p] - lseNegP);
            }
            ds[star] += 2.0 * c2;
        }
        return StableMath.softplus(m);
    }

    /** Gradient of {@code c·(lse(s_N) + lse(−s_P))}-shaped terms: softmax weights on both sides. */
    private static void addAlignment(double[] s, int[] pos, int[] neg, double[] ds, double c1, double lseN,
                                     double lseNegP, boolean negativesTrainable) {
        if (negativesTrainable) {
            for (int n : neg) {
                ds[n] += c1 * Math.exp(s[n] - lseN);
            }
        }
        for (int p : pos) {
            ds[p] -= c1 * Math.exp(-s[p] - lseNegP);
        }
    }
}
