package io.concord.workload.ultragcn;

import io.concord.core.ultragcn.UltraGcnObjective;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code recipe: fast}: the official hyperparameters of a dataset turned into a schedule that reaches the same
 * quality in a fraction of the CPU time, by rules that read only the official values and the size of the graph (no
 * per-dataset tuning; the reasoning and measurements behind each rule are in docs/ultragcn.md, "The fast recipe"):
 * <ol>
 *   <li><b>Negatives</b>: {@code negative_num} R → max(min(R, 50), ⌈R/5⌉) with {@code negative_weight} unchanged.
 *       Each negative weighs {@code negative_weight / R}, so the expected objective is the official one; only its
 *       variance grows, and the kernel's work falls with R.</li>
 *   <li><b>Global batch and L2 together</b>: the global batch grows ×2 while an epoch keeps at least 64 steps, up to
 *       ×4, and {@code gamma} grows by the same factor: the loss is a sum over the batch and the L2 term is added once
 *       per step, so this keeps the official L2-to-data ratio per positive (with the official gamma at 4× the batch
 *       Gowalla overfits). Fewer, larger steps cut the dense per-step work (L2 and Adam touch every parameter) and
 *       Spark's per-round cost.</li>
 *   <li><b>Start at the popularity solution</b> ({@code ultragcn.start: popularity}, {@link
 *       io.concord.core.ultragcn.PopularityStart}): the official normal start spends its first epochs pushing every
 *       score down to where the positive and negative terms balance, then sits on the popularity ranking (Recall of
 *       the popularity ranking) until the personal part of the embeddings has grown; the balance has a closed form,
 *       so the run starts there (Amazon-Electronics at the official rate: off the plateau after ~125 epochs instead
 *       of ~250, best Recall@20 0.1383 vs 0.1388).</li>
 *   <li><b>Learning rate</b>: a warm phase at 2e-3 (or the official rate if higher), then ×0.1 per phase down to
 *       the official rate; each phase ends on a plateau of the evaluation metric ({@code LrOnPlateau}: 2 evaluations
 *       without a new best, and only once the metric is 10% above the popularity ranking's). Adam moves every
 *       coordinate by ~lr per step whatever the gradient's scale, so the warm rate is an absolute one: the official
 *       rates (1e-4 Gowalla, 1e-3 Amazon-Electronics) leave the plateau only after hundreds of epochs, and a constant
 *       fast rate overfits at an epoch that differs by graph, which is why phases end on the metric. From the
 *       popularity start, Amazon-Electronics peaks at 0.1384 (2e-3), 0.1381 (5e-3), 0.1359 (1e-2) against the
 *       official 0.1388; on two generated graphs whose official rate leaves the plateau within 30–50 epochs a 5e-3
 *       warm phase lowered the peak (0.978 and 0.951 of the official), 2e-3 kept it (0.992, 0.991).</li>
 *   <li><b>Evaluation</b> after every epoch (the official schedule evaluates every 5th epoch before epoch 50), and at
 *       the official rate the run stops after 30 evaluations without a new best.</li>
 * </ol>
 */
public record FastRecipe(int negativeNum, int batchScale, double gamma, double[] learningRates) {

    static final int MIN_NEGATIVES = 50;
    static final int NEGATIVE_CUT = 5;
    static final int MAX_BATCH_SCALE = 4;
    static final int MIN_STEPS_PER_EPOCH = 64;
    /** Adam moves a coordinate by ~lr per step whatever the gradient's scale, so the warm rate is absolute. */
    static final double WARM_LR = 2e-3;
    static final double LR_FACTOR = 0.1;
    /** Evaluations without a new best that end a learning-rate phase. */
    static final int PHASE_PATIENCE = 2;
    /** Evaluations without a new best that end the run at the official rate. */
    static final int FINAL_PATIENCE = 30;
    /** A phase may end only once the metric is this far above the popularity ranking's. */
    static final double POPULARITY_MARGIN = 1.1;

    /**
     * @param official       the objective as configured (the official values of the dataset)
     * @param officialLr     the configured Adam learning rate
     * @param globalBatch    positives per optimizer step as configured ({@code partitions × batchSize})
     * @param trainPositives positives in the train split
     */
    public static FastRecipe derive(UltraGcnObjective official, double officialLr, long globalBatch,
                                    long trainPositives) {
        int r = official.negativeNum();
        int negatives = Math.max(Math.min(r, MIN_NEGATIVES), (r + NEGATIVE_CUT - 1) / NEGATIVE_CUT);
        int scale = 1;
        while (scale < MAX_BATCH_SCALE && trainPositives / (2L * scale * globalBatch) >= MIN_STEPS_PER_EPOCH) {
            scale *= 2;
        }
        List<Double> lrs = new ArrayList<>();
        double warm = Math.max(WARM_LR, officialLr);
        for (double lr = warm; lr > officialLr * (1 + 1e-9); lr = decimal(lr * LR_FACTOR)) {
            lrs.add(lr);
        }
        lrs.add(officialLr);
        return new FastRecipe(negatives, scale, official.gamma() * scale,
                lrs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** {@code x} rounded to 3 significant digits (1e-3, not 1.0000000000000002e-3). */
    private static double decimal(double x) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.3g", x));
    }

    public UltraGcnObjective apply(UltraGcnObjective official) {
        return official.withNegativeNum(negativeNum).withGamma(gamma);
    }

    /** One line for the console and the log. */
    public String describe() {
        StringBuilder rates = new StringBuilder();
        for (double lr : learningRates) {
            rates.append(rates.length() == 0 ? "" : " -> ").append(String.format(Locale.ROOT, "%.3g", lr));
        }
        return String.format(Locale.ROOT, "recipe fast: start at the popularity solution, negative_num %d, global"
                + " batch x%d, gamma %.3g, lr %s (each phase until %d evaluations without a new best), evaluation"
                + " every epoch", negativeNum,
                batchScale, gamma, rates, PHASE_PATIENCE);
    }
}
